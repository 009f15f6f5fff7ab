"""`fix`: rewrite what is safe to rewrite, then list what is left for a person."""

from __future__ import annotations

import sys

import click

from linter.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    baseline_option,
    config_options,
    options,
    output_file_option,
    read_baseline,
    write,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes and write nothing.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply fixes marked unsafe (they change behaviour a person should review).",
)
@config_options
@click.option("-q", "--quiet", is_flag=True, help="Print only what is left for a person (and any file not rewritten).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (2 still means a usage error).")
@baseline_option("Neither fix nor list the findings recorded in this baseline file (`check --write-baseline`).")
@output_file_option("the report (or the diff)")
def fix(paths, diff, unsafe_fixes, quiet, exit_zero, baseline, output_file, **shared) -> None:
    """Rewrite what is safe to rewrite in PATHS (default: .), then list what is left.

    Only the literal text that carries a v2 construct is edited; every rewritten file must
    still parse, and is replaced in one step. Run it on the whole project: a version pin moves
    to v3.1 only when every role path joined to it moves too.

    Exit status: 0 when nothing remains at the threshold, 1 when findings remain (always
    with --diff, which writes nothing), 2 on a usage error.
    """
    from linter.api import fix_paths
    from linter.report import text as report
    from linter.report.baseline import new_findings

    paths = list(paths) or ["."]
    _, run_options = options(paths, **shared)
    known = read_baseline(baseline) if baseline else None
    keep = (lambda result: new_findings(result.visible, result.texts, known)) if known is not None else None
    outcome = fix_paths(paths, run_options, unsafe_fixes, diff=diff, keep=keep)
    for path in outcome.recovered:
        click.echo(f"{path}: completed the change an interrupted fix had left half-done", err=True)
    out = []
    if diff:
        out.append("".join(outcome.diffs))
    elif not quiet:
        for path, fixed in sorted(outcome.changed.items()):
            codes = ", ".join(sorted({f.code for f in fixed}))
            out.append(f"{path}: fixed {len(fixed)} ({codes})\n")
    for path, reason in sorted(outcome.failed.items()):
        out.append(f"{path}: not rewritten: {reason}\n")
    left = outcome.left
    accepted = 0
    if known is not None:
        texts = {**outcome.first.texts, **(outcome.after.texts if outcome.after else {})}
        kept = new_findings(left, texts, known)
        accepted, left = len(left) - len(kept), kept
    if left:
        out.append(("" if quiet else "\n") + outcome.first.speak(report.left_for_a_person(left)) + "\n")
    fixed_count = sum(len(v) for v in outcome.changed.values())
    verb = "Would fix" if diff else "Fixed"
    if not quiet:
        hidden = f" ({accepted} more in the baseline)" if accepted else ""
        out.append(f"{verb} {fixed_count} finding{'s' if fixed_count != 1 else ''}; {len(left)} left{hidden}.\n")
    write(out, output_file)
    failing = left or diff and fixed_count
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)
