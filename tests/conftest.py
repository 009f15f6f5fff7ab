"""Keep the result cache of CLI runs out of the repository and the examples during tests."""

import os
import tempfile

import pytest


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_the_repository():
    with tempfile.TemporaryDirectory(prefix="clever-upgrade-cache-") as directory:
        old = os.environ.get("CLEVER_UPGRADE_CACHE_DIR")
        os.environ["CLEVER_UPGRADE_CACHE_DIR"] = directory
        yield
        if old is None:
            os.environ.pop("CLEVER_UPGRADE_CACHE_DIR", None)
        else:
            os.environ["CLEVER_UPGRADE_CACHE_DIR"] = old
