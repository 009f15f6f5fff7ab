"""The `clever-upgrade` program's entry (the console script, and `python -m linter`): a run
with --daemon is handed to the resident process (linter.daemon) before click or LibCST is
imported; every other run, and a --daemon run that no daemon took, goes to the command line
(linter.cli)."""

import sys


def main() -> None:
    argv = sys.argv[1:]
    if "--daemon" in argv:
        from linter.daemon import client

        if client.wanted(argv):
            status = client.launch(argv)
            if status is not None:
                sys.exit(status)
    from linter.cli import main as command_line

    command_line()


if __name__ == "__main__":
    main()
