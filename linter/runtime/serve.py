"""The `fake-api` command's server: the fake Clever API on a local port, for the parts of a
stack that are not Python, each request logged as it is answered. A bad roster or a port that
cannot be had is a usage error (model.UsageError)."""

from __future__ import annotations

import time
from typing import Callable, Optional

from linter.model import UsageError
from linter.runtime.fake_api import FakeClever, Roster, RosterError, serve, versions_of


def serve_forever(version: str, host: str, port: int, roster: Optional[str], log: Callable[[str], None]) -> None:
    """Serve `version` ("v2.1", "v3.1" or "all") until interrupted, logging through `log`."""
    try:
        loaded = Roster.load(roster) if roster else None
    except RosterError as exc:
        raise UsageError(str(exc)) from None
    versions = versions_of("v2.1") + versions_of("v3.1") if version == "all" else versions_of(version)
    app = FakeClever(versions, loaded)
    try:
        server, base, _ = serve(app, host, port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    log(f"Fake Clever API {', '.join(versions)} on {base}; Ctrl-C stops it")
    seen = 0
    try:
        while True:
            time.sleep(0.2)
            for (method, target), status in list(zip(app.requests, app.statuses))[seen:]:
                log(f"{status} {method} {target}")
                seen += 1
    finally:
        server.shutdown()
        server.server_close()
