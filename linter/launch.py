"""The `clever-upgrade` program's entry: a run with --daemon is handed to the resident
process (linter.daemon) before click or LibCST is imported; every other run, and a --daemon
run that no daemon took, goes to the command line (linter.cli)."""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if "--daemon" in argv:
        from linter import daemon

        if daemon.wanted(argv):
            status = daemon.launch(argv)
            if status is not None:
                sys.exit(status)
    from linter.cli import main as command_line

    command_line()
