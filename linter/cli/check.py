"""`check`: report every v2 construct, in a format of the registry (linter.report.formats)."""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import Dict, Optional, Tuple

import click

from linter.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    baseline_option,
    config_options,
    format_option,
    options,
    output_file_option,
    read_baseline,
    write,
)
from linter.model import Severity, UsageError


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@format_option("check", "text", " json and sarif are stable contracts (see README).")
@config_options
@click.option(
    "--fail-on",
    type=click.Choice(["info", "warning", "error"]),
    default=None,
    help="Exit 1 only for findings of this severity or worse [default: info, i.e. any].",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (2 still means a usage error).")
@click.option(
    "--statistics", is_flag=True, help="Print counts per code (with how many are fixable) instead of the findings."
)
@output_file_option("the report")
@click.option("--no-color", is_flag=True, help="No colors in text output (NO_COLOR in the environment does the same).")
@click.option("--show-suppressed", is_flag=True, help="Also list the findings that noqa comments suppress.")
@click.option(
    "--show-source/--no-show-source",
    default=True,
    show_default=True,
    help="Print the source line, with a caret under the flagged range, below each finding (text format).",
)
@click.option(
    "--report-unused-suppressions",
    is_flag=True,
    help="Report noqa / clever-upgrade: ignore comments that suppress nothing (CLV003).",
)
@baseline_option("Report only findings that are not in this baseline file.")
@click.option(
    "--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings in this file (and exit 0)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only, no summary line.")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help=(
        "On standard error: the files found, left out by the prefilter, parsed (and why) and read on demand, "
        "and the time of each phase; -vv also the slowest modules."
    ),
)
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Write `# noqa: CODE` on every remaining finding (Python, TOML and YAML files), then exit.",
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="With `-` as the path: the file name the source read from standard input is checked as (imports are "
    "looked up beside it; default: stdin.py).",
)
@click.option(
    "--trace",
    "trace_file",
    type=click.Path(dir_okay=False),
    help="Also report the v2 requests of this `trace --format json` file that the static analysis misses (CLV701).",
)
def check(
    paths,
    output_format,
    fail_on,
    exit_zero,
    statistics,
    output_file,
    no_color,
    show_suppressed,
    show_source,
    report_unused_suppressions,
    baseline,
    write_baseline,
    quiet,
    verbose,
    add_noqa,
    stdin_filename,
    trace_file,
    **shared,
) -> None:
    """Report every Clever v2 construct in PATHS (default: the current directory; `-`: the
    source on standard input, see --stdin-filename).

    Directories are searched for Python files and configuration files (.env, .ini, .cfg,
    .toml, .yaml, .yml, .json); .git, virtualenvs, node_modules, __pycache__ and build
    directories are skipped.

    Exit status: 0 when nothing is found at the threshold, 1 when something is (or a file
    could not be parsed), 2 on a usage error.
    """
    from pathlib import Path

    from linter.report import baseline as baselines
    from linter.report import formats

    paths = list(paths) or ["."]
    if "-" in paths and paths != ["-"]:
        raise UsageError("`-` (the source on standard input) cannot be mixed with paths")
    if stdin_filename and paths != ["-"]:
        raise UsageError("--stdin-filename names the source read from standard input: give `-` as the path")
    stdin_path = (stdin_filename or "stdin.py") if paths == ["-"] else None
    if stdin_path and add_noqa:
        raise UsageError("--add-noqa writes comments into files: it cannot take the source from standard input")
    where = [os.path.dirname(os.path.abspath(stdin_path))] if stdin_path else paths
    settings, run_options = options(where, report_unused_suppressions=report_unused_suppressions, **shared)
    result = lint(paths, stdin_path, run_options, trace_file)
    if verbose and result.stats is not None:
        from linter.report import verbose as verbosity

        click.echo(verbosity.render(result.stats, verbose), err=True, nl=False)
    if add_noqa:
        _add_noqa(result.visible)
    if write_baseline:
        baselines.write(Path(write_baseline), result.visible, result.texts)
        click.echo(f"Wrote {len(result.visible)} findings to the baseline {write_baseline}.", err=True)
        sys.exit(EXIT_CLEAN)

    chosen = formats.get("check", output_format)
    if statistics and not chosen.statistics:
        chosen = formats.get("check", "text")  # the formats without statistics of their own show the text ones
    prints: Dict[tuple, str] = {}
    stale: Optional[Tuple[int, int]] = None
    if baseline:
        hidden, stale_count, prints = baselines.hide_known(result, read_baseline(baseline))
        stale = (hidden, stale_count)
    elif chosen.fingerprints:
        prints = baselines.fingerprints(result.visible, result.texts)
    view = formats.View(
        prints=prints,
        baseline=stale,
        quiet=quiet,
        show_source=show_source,
        show_suppressed=show_suppressed,
        statistics=statistics,
    )
    text = chosen.render(result, view)
    if chosen.colors and not no_color and "NO_COLOR" not in os.environ and output_file is None:
        text = _colorize(text)  # click strips the colors again when standard output is not a terminal
    write([text], output_file)
    failing = [f for f in result.visible if f.severity.rank >= Severity(fail_on or settings.fail_on).rank]
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)


def lint(paths, stdin_path, run_options, trace_file):
    """The LintResult of PATHS (or of standard input), with a trace's runtime-only findings."""
    from linter.api import lint_paths, lint_source

    if stdin_path is not None:
        source = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        result = lint_source(source, stdin_path, dataclasses.replace(run_options, cache=False))
        paths = [stdin_path]
    else:
        with Progress() as progress:
            result = lint_paths(paths, run_options, progress=progress)
    return with_trace(result, trace_file, paths) if trace_file else result


def with_trace(result, trace_file: str, paths):
    """The result with the runtime-only findings of a trace file."""
    from linter.runtime import trace as tracing

    return tracing.with_trace(result, tracing.load(trace_file), paths)


def _add_noqa(findings) -> None:
    from linter.analysis.noqa import add_noqa

    added, skipped = add_noqa(findings)
    for path, why in sorted(skipped.items()):
        click.echo(f"{path}: no noqa comment added: {why}", err=True)
    total = sum(added.values())
    click.echo(f"Added {total} noqa comment{'s' if total != 1 else ''} to {len(added)} file(s).", err=True)
    sys.exit(EXIT_FINDINGS if skipped else EXIT_CLEAN)


class Progress:
    """A progress bar on standard error, only on a terminal and only for many files."""

    MIN_FILES = 200

    def __init__(self):
        self.bar = None

    def __call__(self, count) -> None:
        if count is None:
            if self.bar is not None:
                self.bar.update(1)
        elif count >= self.MIN_FILES and sys.stderr.isatty():
            self.bar = click.progressbar(length=count, label="Checking", file=sys.stderr)
            self.bar.__enter__()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _colorize(text: str) -> str:
    import re

    return re.sub(
        r"^([^\s:][^:]*:\d+:\d+:) (CLV\d+)",
        lambda m: click.style(m.group(1), bold=True) + " " + click.style(m.group(2), fg="red", bold=True),
        text,
        flags=re.MULTILINE,
    )
