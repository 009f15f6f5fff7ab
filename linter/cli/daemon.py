"""`daemon start|stop|status`, and what a daemon runs: a command line in a forked copy, after
a warm-up that loads what every run needs."""

from __future__ import annotations

import sys

import click

from linter.cli.common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERRUPTED
from linter.model import UsageError


@click.group()
def daemon() -> None:
    """Start, stop or list the resident processes that `--daemon` runs use.

    `check --daemon` (and fix, checklist) hands its run to a process that has the analysis
    loaded: a pre-commit hook over a few files then skips most of its start-up. The first
    such run starts one; it serves one installation of clever-upgrade for one user, and ends
    after 30 minutes without a run.
    """


@daemon.command("start")
@click.option("--foreground", is_flag=True, help="Serve in this process until idle or stopped (Ctrl-C ends it).")
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    metavar="SECONDS",
    help="End after this long without a run [default: 1800].",
)
@click.pass_context
def daemon_start(ctx, foreground, idle_timeout) -> None:
    """Start the daemon for this installation (nothing happens when it is running)."""
    import time

    from linter.daemon import client as resident

    folder = _folder()
    path = resident.address(folder)
    if foreground:
        idle = idle_timeout if idle_timeout is not None else resident.IDLE_SECONDS
        program = ctx.find_root().command  # the whole command line, which each request runs
        try:
            from linter.daemon.server import serve

            if not serve(lambda argv, name: run(program, argv, name), path, lambda: warm(program), idle=idle):
                raise UsageError("a daemon for this installation is already running or starting")
        except KeyboardInterrupt:
            pass
        return
    if resident.ask(path, "status") is None:
        command = [sys.executable, "-m", "linter", "daemon", "start", "--foreground"]
        if idle_timeout is not None:
            command += ["--idle-timeout", str(idle_timeout)]
        resident.spawn(command)
        deadline = time.monotonic() + 30
        while resident.ask(path, "status") is None:
            if time.monotonic() > deadline:
                raise UsageError("the daemon did not start within 30 seconds")
            time.sleep(0.05)
    status = resident.ask(path, "status") or {}
    click.echo(f"clever-upgrade daemon running (pid {status.get('pid')}) at {path}")


@daemon.command("stop")
def daemon_stop() -> None:
    """Stop every daemon of this user (of any installation)."""
    from linter.daemon import client as resident

    stopped = [path for path in resident.sockets(_folder()) if resident.ask(path, "stop") is not None]
    click.echo(f"stopped {len(stopped)} daemon{'s' if len(stopped) != 1 else ''}")


@daemon.command("status")
def daemon_status() -> None:
    """List the running daemons; exit 1 when none serves this installation."""
    from linter.daemon import client as resident

    folder = _folder()
    ours = resident.address(folder)
    found = False
    for path in resident.sockets(folder):
        status = resident.ask(path, "status")
        if status is None:
            continue
        mine = path == ours
        found = found or mine
        click.echo(
            f"pid {status['pid']}: clever-upgrade {status['version']} in {status['package']} "
            f"({status['python']}), {status['served']} runs, idle {status['idle']:.0f} s"
            + (" [this installation]" if mine else "")
        )
    if not found:
        click.echo("no daemon serves this installation")
    sys.exit(EXIT_CLEAN if found else EXIT_FINDINGS)


def _folder() -> str:
    from linter.daemon import client as resident

    if not resident.supported():
        raise UsageError("the daemon needs Unix sockets and fork, which this system lacks")
    folder = resident.directory()
    if folder is None:
        raise UsageError("no private directory for the daemon's sockets (see CLEVER_UPGRADE_DAEMON_DIR)")
    return folder


def run(program: click.Command, argv, prog_name: str) -> int:
    """One command line in a forked copy of the daemon, as a process of its own would run it:
    the exit status it would end with."""
    try:
        program.main(args=argv, prog_name=prog_name, standalone_mode=True)
    except KeyboardInterrupt:  # before a command runs (the group handles it in one)
        click.echo("clever-upgrade: interrupted", err=True)
        return EXIT_INTERRUPTED
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        click.echo(exc.code, err=True)
        return 1
    return 0


WARM_SAMPLE = """import requests

BASE = "https://api.clever.com/v2.1"


def sections(teacher_id, token):
    url = f"{BASE}/teachers/{teacher_id}/sections"
    return requests.get(url, headers={"Authorization": "Bearer " + token}).json()["data"]


def events(token):
    return requests.get(BASE + "/events", params={"record_type": "students"}).json()


def role(token):
    me = requests.get("https://api.clever.com/me", headers={"Authorization": "Bearer %s" % token}).json()
    return me["type"] == "teacher"
"""


def warm(program: click.Command) -> None:
    """What the daemon loads before it serves: a check and a fix of a small v2 module (every
    module those import, the catalog's patterns, the fields of the node classes they meet),
    then the rest of LibCST's node classes and every report format."""
    import contextlib
    import io
    import tempfile
    from pathlib import Path

    from linter import catalog
    from linter.report import formats
    from linter.syntax import walk

    with tempfile.TemporaryDirectory(prefix="clever-upgrade-warm-") as folder:
        (Path(folder) / "clever_sync.py").write_text(WARM_SAMPLE, encoding="utf-8")
        for argv in (
            ["check", "--no-cache", "--exit-zero", folder],
            ["fix", "--diff", "--no-cache", "--exit-zero", folder],
        ):
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                run(program, argv, "clever-upgrade")
    for each in formats.FORMATS:
        each.renderer  # noqa: B018 - imported now, once, to be forked
    for row in catalog.endpoints():
        row.pattern  # noqa: B018 - compiled now, once
    walk.prepare()
