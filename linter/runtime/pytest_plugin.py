"""The pytest plugin of clever-upgrade (entry point `pytest11`): the `clever_api` fixture, a
local Clever API for the duration of a test.

    def test_sync_on_v3(clever_api):
        api = clever_api(version="v3.1", roster="tests/roster.yaml")
        sync_district("any-token")                 # requests to api.clever.com answered locally
        assert [r["url"] for r in api.requests] == [...]

Requests to Clever hosts made through requests, urllib3, urllib, http.client, httpx and aiohttp
are answered by the fake API (linter.runtime.fake_api) and recorded; nothing reaches the
network. Loading this plugin costs nothing until a test asks for the fixture."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import pytest


class CleverAPI:
    """One fake Clever API, answering the test's requests until the test ends."""

    def __init__(self, version: str, roster: Any, hosts: Sequence[str]) -> None:
        from linter.runtime import fake_api, intercept

        self._intercept = intercept
        self._fake_api = fake_api
        self.version = version
        self.app = fake_api.FakeClever(fake_api.versions_of(version), self._roster(roster))
        self.records: List[Dict[str, Any]] = []
        intercept.install(hosts, self.app, self.records.append)

    def _roster(self, roster: Any):
        if isinstance(roster, dict):
            return self._fake_api.Roster(roster, "the roster given to clever_api")
        if roster is not None:
            return self._fake_api.Roster.load(str(roster))
        return self._fake_api.Roster.default()

    def load(self, roster: Any) -> None:
        """Serve another roster from now on (a YAML or JSON file, or a dict)."""
        self.app.use(self._roster(roster))

    @property
    def roster(self):
        return self.app.roster

    @property
    def requests(self) -> List[Dict[str, Any]]:
        """Each Clever request the test made: method, url, status, library, site (the line of
        the calling code), answered ('fake', or 'mock' when a mock library answered first)."""
        return list(self.records)

    def stop(self) -> None:
        self._intercept.uninstall()


@pytest.fixture
def clever_api():
    """A factory: `clever_api(version="v3.1", roster=None, hosts=())` starts a fake Clever API
    (v2.1 also answers v2.0 paths, v3.1 v3.0) on the default roster, a roster file (YAML or
    JSON) or a dict, and returns it; it stops when the test ends."""
    started: List[CleverAPI] = []

    def start(version: str = "v3.1", roster: Optional[Any] = None, hosts: Sequence[str] = ()) -> CleverAPI:
        if started:
            started.pop().stop()  # one fake at a time: the newest call wins
        api = CleverAPI(version, roster, hosts)
        started.append(api)
        return api

    yield start
    for api in started:
        api.stop()
