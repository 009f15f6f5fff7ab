"""Keep the result cache of CLI runs out of the repository and the examples during tests."""

import os
import tempfile

import pytest

# the realistic integrations are users' projects, with their own tests: data here, not ours to run
collect_ignore_glob = ["realistic/*"]


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


@pytest.fixture(autouse=True)
def _prefilter_changes_nothing(monkeypatch):
    """The prefilter over the whole test corpus: every check a test runs in this process with
    the prefilter on (the default) runs again without it, and the findings must be the same.
    The one difference allowed is the documented one: a file found in a directory and not
    selected is not parsed, so its syntax errors (CLV001) are not reported."""
    import dataclasses

    from linter.analysis import run as api

    original = api.lint_files

    def both(files, roots, options, sources=None, progress=None, earlier=None):
        # the run without the prefilter parses everything anew: a run that reuses the modules
        # of an earlier one (fix's passes) is compared with fresh parses too
        result = original(files, roots, options, sources, progress, earlier)
        if options.prefilter:
            full = original(files, roots, dataclasses.replace(options, prefilter=False), sources)
            _assert_same_findings(result, full, {item.display for item in files if item.explicit})
        return result

    monkeypatch.setattr(api, "lint_files", both)


def _assert_same_findings(filtered, full, explicit) -> None:
    """What the run shows must be the same: the findings at or above its minimum confidence,
    and the endpoint inventory there. (Below it, a file that can hold only low-confidence
    findings is not parsed: see linter.source.prefilter.select.)"""

    def key(f):
        return (f.path, f.span, f.code, f.confidence, f.message, f.fix, f.note)

    def shown(items):
        return [item for item in items if item.confidence.rank >= full.min_confidence.rank]

    parse_errors = {f.path for f in filtered.findings if f.code == "CLV001"}
    expected = [
        key(f)
        for f in shown(full.findings)
        if not (f.code == "CLV001" and f.path not in parse_errors and f.path not in explicit)
    ]
    assert [key(f) for f in shown(filtered.findings)] == expected, "the prefilter changed the findings"
    assert shown(filtered.endpoint_uses) == shown(full.endpoint_uses), "the prefilter changed the inventory"
    assert filtered.files_scanned == full.files_scanned


@pytest.fixture
def fake_api():
    """Start the fake Clever API (linter.runtime.fake_api) on 127.0.0.1 for the given versions;
    every server started is shut down after the test."""
    from linter.runtime.fake_api import FakeClever, serve

    servers = []

    def start(versions):
        server, base, app = serve(FakeClever(versions=versions))
        servers.append(server)
        return base, app

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
