"""The command line: parse flags, call linter.api, print a report, set the exit status."""

from __future__ import annotations

import sys

import click

from linter import __version__
from linter.findings import Confidence

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"clever-upgrade: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clever-upgrade")
def main() -> None:
    """Find (and fix) Clever API v2.x constructs in Python integrations, for the move to v3.1.

    Run `clever-upgrade check .` in your repository to list every v2 endpoint, version pin
    and role assumption, with the v3.1 replacement of each.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="Output format; json is a stable contract (see README).",
)
@click.option(
    "--min-confidence", type=click.Choice(["low", "medium", "high"]), default="medium",
    show_default=True,
    help="Report findings at this confidence and above; also what the exit status counts.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only, no summary line.")
def check(paths, output_format, min_confidence, quiet) -> None:
    """Report every Clever v2 construct in PATHS (default: the current directory).

    Directories are searched for Python files and configuration files (.env, .ini, .cfg,
    .toml, .yaml, .yml, .json); .git, virtualenvs, node_modules, __pycache__ and build
    directories are skipped.

    Exit status: 0 when nothing is found at the threshold, 1 when something is (or a file
    could not be parsed), 2 on a usage error.
    """
    from linter.api import Options, lint_paths
    from linter.files import PathError

    options = Options(min_confidence=Confidence.parse(min_confidence))
    try:
        result = lint_paths(list(paths) or ["."], options)
    except PathError as exc:
        _fail(str(exc))
        return
    if output_format == "json":
        from linter.report import json as report
        click.echo(report.render(result), nl=False)
    else:
        from linter.report import text as report
        click.echo(report.render(result, quiet=quiet), nl=False)
    sys.exit(EXIT_FINDINGS if result.visible else EXIT_CLEAN)


def _codes(value: str) -> tuple:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip()) if value else ()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes and write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe (they change behaviour a person should review).")
@click.option("--select", default="", metavar="CODES", help="Fix only these codes or prefixes, comma-separated (e.g. CLV3,CLV501).")
@click.option("--ignore", default="", metavar="CODES", help="Do not fix these codes or prefixes.")
@click.option(
    "--min-confidence", type=click.Choice(["low", "medium", "high"]), default="medium",
    show_default=True, help="Fix and count findings at this confidence and above.",
)
def fix(paths, diff, unsafe_fixes, select, ignore, min_confidence) -> None:
    """Rewrite what is safe to rewrite in PATHS (default: .), then list what is left.

    Only the literal text that carries a v2 construct is edited; every rewritten file must
    still parse, and is replaced in one step. Run it on the whole project: a version pin moves
    to v3.1 only when every role path joined to it moves too.

    Exit status: 0 when nothing remains at the threshold, 1 when findings remain (always
    with --diff, which writes nothing), 2 on a usage error.
    """
    from linter.api import Options
    from linter.files import PathError
    from linter.fixer import fix_paths
    from linter.report import text as report

    options = Options(min_confidence=Confidence.parse(min_confidence))
    try:
        outcome = fix_paths(list(paths) or ["."], options, unsafe_fixes, _codes(select), _codes(ignore), diff)
    except PathError as exc:
        _fail(str(exc))
        return
    if diff:
        click.echo("".join(outcome.diffs), nl=False)
    else:
        for path, fixed in sorted(outcome.changed.items()):
            codes = ", ".join(sorted({f.code for f in fixed}))
            click.echo(f"{path}: fixed {len(fixed)} ({codes})")
    for path, reason in sorted(outcome.failed.items()):
        click.echo(f"{path}: not rewritten: {reason}")
    left = outcome.left
    if left:
        click.echo("")
        click.echo(report.left_for_a_person(left))
    fixed_count = sum(len(v) for v in outcome.changed.values())
    verb = "Would fix" if diff else "Fixed"
    click.echo(f"{verb} {fixed_count} finding{'s' if fixed_count != 1 else ''}; {len(left)} left.")
    sys.exit(EXIT_FINDINGS if left or diff and fixed_count else EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format", "output_format", type=click.Choice(["markdown", "json"]), default="markdown",
    show_default=True, help="Markdown reads well in a pull request; json is for tools.",
)
@click.option(
    "--min-confidence", type=click.Choice(["low", "medium", "high"]), default="medium",
    show_default=True, help="Count findings at this confidence and above.",
)
def checklist(paths, output_format, min_confidence) -> None:
    """Write the migration checklist of Clever's upgrade guide for PATHS (default: .).

    The seven steps of the guide, each ticked only when no finding remains for it (step 7,
    testing, is never ticked by static analysis), an inventory of the v2 endpoints the code
    uses, and the decisions only a person can take. Exit status: 0, or 2 on a usage error.
    """
    from linter.api import Options, lint_paths
    from linter.files import PathError
    from linter.report import checklist as report

    try:
        result = lint_paths(list(paths) or ["."], Options(min_confidence=Confidence.parse(min_confidence)))
    except PathError as exc:
        _fail(str(exc))
        return
    text = report.render_json(result) if output_format == "json" else report.render_markdown(result)
    click.echo(text, nl=False)


@main.command()
def rules() -> None:
    """List the rules: code, name, checklist step, severity, summary."""
    from linter.rules import REGISTRY

    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        click.echo(f"{rule.code}  {rule.name:<32} step {rule.step}  {rule.severity.value:<7}  {rule.summary}")


if __name__ == "__main__":
    main()
