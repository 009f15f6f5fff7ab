"""Layer `cli`: the command line, one module a command (check, fix, checklist, trace and
fake-api, daemon, the rule reference), each parsing its flags, calling linter.api (or
linter.runtime) and printing a report; common.py holds what they share.

Errors a user causes are raised as model.UsageError by whichever layer finds them and caught
here once: one line on standard error, exit status 2. Ctrl-C ends any command with 130.

May import: every layer below it (runtime, server and daemon included)."""

from __future__ import annotations

import sys

import click

from linter import __version__
from linter.cli import check, checklist, daemon, fix, reference, trace
from linter.cli.common import EXIT_INTERRUPTED, EXIT_USAGE
from linter.model import UsageError


class _Group(click.Group):
    """A usage error from any layer is one line and exit 2; Ctrl-C ends any command with exit
    status 130 (128 + SIGINT), as shells report it, instead of click's "Aborted!" and 1 (`fix`
    never stops between the files of one change)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"clever-upgrade: error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            click.echo("clever-upgrade: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clever-upgrade")
def main() -> None:
    """Find (and fix) Clever API v2.x constructs in Python integrations, for the move to v3.1.

    Run `clever-upgrade check .` in your repository to list every v2 endpoint, version pin
    and role assumption, with the v3.1 replacement of each.
    """


# the package's attributes stay its modules (linter.cli.check is the module of `check`)
for _command in (
    check.check,
    fix.fix,
    checklist.checklist,
    trace.trace,
    trace.fake_api,
    reference.server,
    daemon.daemon,
    reference.rules,
    reference.explain,
):
    main.add_command(_command)
