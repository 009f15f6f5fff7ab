"""The command line: parse flags, call linter.api, print a report, set the exit status."""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import Optional

import click

from linter import __version__, selection
from linter.model import Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Group(click.Group):
    """Ctrl-C ends any command with exit status 130 (128 + SIGINT), as shells report it,
    instead of click's "Aborted!" and 1; `fix` never stops between the files of one change."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("clever-upgrade: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


def _fail(message: str) -> None:
    click.echo(f"clever-upgrade: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clever-upgrade")
def main() -> None:
    """Find (and fix) Clever API v2.x constructs in Python integrations, for the move to v3.1.

    Run `clever-upgrade check .` in your repository to list every v2 endpoint, version pin
    and role assumption, with the v3.1 replacement of each.
    """


def _settings(paths, config, **cli):
    """The configuration file (--config, or the nearest pyproject.toml) merged with the
    command line; a bad file is a usage error."""
    from pathlib import Path

    from linter.config import ConfigError, discover, load, override

    try:
        settings = load(Path(config)) if config else discover(Path(paths[0] if paths else "."))
    except ConfigError as exc:
        _fail(str(exc))
    return override(settings, **cli)


def _config_options(function):
    """Options shared by check, fix and checklist."""
    options = [
        click.option(
            "--config",
            type=click.Path(),
            help="A .toml or .yaml configuration file (default: [tool.clever-upgrade] of the nearest pyproject.toml).",
        ),
        click.option(
            "--select",
            default="",
            metavar="CODES",
            help="Only these codes or prefixes, comma-separated (e.g. CLV3,CLV501).",
        ),
        click.option("--ignore", default="", metavar="CODES", help="Leave out these codes or prefixes."),
        click.option(
            "--extend-exclude", default="", metavar="PATTERNS", help="More paths or globs to skip, comma-separated."
        ),
        click.option(
            "--min-confidence",
            type=click.Choice(["low", "medium", "high"]),
            default=None,
            help="Report findings at this confidence and above [default: medium].",
        ),
        click.option(
            "--target-version",
            type=click.Choice(["v3.0", "v3.1"]),
            default=None,
            help="The v3 version to migrate to [default: v3.1].",
        ),
        click.option("--follow-symlinks", is_flag=True, help="Follow symbolic links out of the directories given."),
        click.option(
            "--no-respect-gitignore",
            is_flag=True,
            help="Also check the files .gitignore leaves out (by default they are skipped, as git and ruff do).",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=None,
            help=(
                "Processes that read and prefilter the files, and that parse them [default: the available "
                "cores; runs of fewer than 500 files prefilter in one, and of fewer than 12 files to parse "
                "parse in one]."
            ),
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write .clever-upgrade-cache/."),
        click.option(
            "--no-prefilter",
            is_flag=True,
            help=(
                "Parse every Python file, not only those that mention Clever or are linked to them (slower; also "
                "reports every unparsable file)."
            ),
        ),
        click.option(
            "--daemon",
            is_flag=True,
            help=(
                "Run in a resident process that has the analysis loaded (for pre-commit hooks: a run over a few "
                "files skips most of its start-up). The first run starts it and runs as usual; it ends after 30 "
                "idle minutes or `clever-upgrade daemon stop`. Ignored on CI and off Unix."
            ),
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _output_file_option(what: str):
    return click.option(
        "-o",
        "--output-file",
        type=click.Path(dir_okay=False, writable=True),
        help=f"Write {what} to this file instead of standard output.",
    )


def _baseline_option(help_text: str):
    return click.option("--baseline", type=click.Path(dir_okay=False), help=help_text)


def _options(
    paths,
    config=None,
    select="",
    ignore="",
    extend_exclude="",
    min_confidence=None,
    target_version=None,
    follow_symlinks=False,
    no_respect_gitignore=False,
    jobs=None,
    no_cache=False,
    no_prefilter=False,
    daemon=False,  # taken by linter.__main__ before the command line is parsed
    **extra,
):
    """(settings, Options) from the flags of _config_options (passed on as `**shared` by each
    command) and the configuration file; a bad value is a usage error."""
    from linter import config as configuration
    from linter.rules.codes import CODES

    extra.update(follow_symlinks=follow_symlinks, jobs=jobs, cache=not no_cache, prefilter=not no_prefilter)
    if no_respect_gitignore:
        extra["respect_gitignore"] = False
    select, ignore = _codes(select), _codes(ignore)
    for flag, codes in (("--select", select), ("--ignore", ignore)):
        for code in selection.unknown(codes, CODES):
            _fail(f"{flag}: unknown rule code or prefix {code!r} (see `clever-upgrade rules`)")
    settings = _settings(
        paths,
        config,
        select=select,
        ignore=ignore,
        min_confidence=min_confidence,
        target_version=target_version,
    )
    if extend_exclude:
        settings = dataclasses.replace(settings, extend_exclude=settings.extend_exclude + _list(extend_exclude))
    try:
        return settings, configuration.options(settings, known_codes=CODES, **extra)
    except configuration.ConfigError as exc:
        _fail(str(exc))
        raise  # not reached: _fail exits


def _list(value: str) -> tuple:
    return tuple(item.strip() for item in value.split(",") if item.strip())


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github", "gitlab", "checklist", "html"]),
    default="text",
    show_default=True,
    help=(
        "Output format; json and sarif are stable contracts (see README); github: workflow annotations; gitlab: "
        "a code quality report; checklist: the checklist in Markdown; html: the migration report page."
    ),
)
@_config_options
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
@_output_file_option("the report")
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
@_baseline_option("Report only findings that are not in this baseline file.")
@click.option(
    "--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings in this file (and exit 0)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only, no summary line.")
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

    from linter.api import lint_paths
    from linter.source.files import PathError

    paths = list(paths) or ["."]
    if "-" in paths and paths != ["-"]:
        _fail("`-` (the source on standard input) cannot be mixed with paths")
    if stdin_filename and paths != ["-"]:
        _fail("--stdin-filename names the source read from standard input: give `-` as the path")
    stdin_path = (stdin_filename or "stdin.py") if paths == ["-"] else None
    if stdin_path and add_noqa:
        _fail("--add-noqa writes comments into files: it cannot take the source from standard input")
    where = [os.path.dirname(os.path.abspath(stdin_path))] if stdin_path else paths
    settings, options = _options(where, report_unused_suppressions=report_unused_suppressions, **shared)
    fail_on = fail_on or settings.fail_on
    try:
        if stdin_path is not None:
            from linter.api import lint_source

            source = sys.stdin.buffer.read().decode("utf-8", errors="replace")
            result = lint_source(source, stdin_path, dataclasses.replace(options, cache=False))
            paths = [stdin_path]
        else:
            with _Progress() as progress:
                result = lint_paths(paths, options, progress=progress)
    except PathError as exc:
        _fail(str(exc))
        return
    if trace_file:
        result = _with_trace(result, trace_file, paths)
    texts = result.texts

    output = _Output(
        format=output_format,
        statistics=statistics,
        quiet=quiet,
        show_suppressed=show_suppressed,
        show_source=show_source,
        file=output_file,
        no_color=no_color,
        fail_on=fail_on,
        exit_zero=exit_zero,
    )

    def finish(prints, stale) -> None:
        _finish(result, output, prints, stale)

    if add_noqa:
        _add_noqa(result.visible)
    if not (baseline or write_baseline or output_format in ("sarif", "gitlab")):  # only these need fingerprints
        finish({}, None)
        return
    from linter.report import baseline as baselines

    if write_baseline:
        try:
            baselines.write(Path(write_baseline), result.visible, texts)
        except baselines.BaselineError as exc:
            _fail(str(exc))
        click.echo(f"Wrote {len(result.visible)} findings to the baseline {write_baseline}.", err=True)
        sys.exit(EXIT_CLEAN)
    prints = baselines.fingerprints(result.visible, texts)
    stale = None
    if baseline:
        try:
            known = baselines.read(Path(baseline))
        except baselines.BaselineError as exc:
            _fail(str(exc))
            return
        kept, stale_count, prints = baselines.filter_new(result.visible, texts, known)
        hidden_keys = {f.key for f in result.visible} - {f.key for f in kept}
        result.findings = [f for f in result.findings if f.key not in hidden_keys]
        stale = (len(hidden_keys), stale_count)  # (hidden by the baseline, entries that matched nothing)
    finish(prints, stale)


def _add_noqa(findings) -> None:
    from linter.analysis.noqa import add_noqa

    added, skipped = add_noqa(findings)
    for path, why in sorted(skipped.items()):
        click.echo(f"{path}: no noqa comment added: {why}", err=True)
    total = sum(added.values())
    click.echo(f"Added {total} noqa comment{'s' if total != 1 else ''} to {len(added)} file(s).", err=True)
    sys.exit(EXIT_FINDINGS if skipped else EXIT_CLEAN)


def _with_trace(result, trace_file: str, paths):
    """The result with the runtime-only findings of a trace file (a bad file is a usage error)."""
    from linter.runtime import trace as tracing

    try:
        return tracing.with_trace(result, tracing.load(trace_file), paths)
    except tracing.TraceError as exc:
        _fail(str(exc))
        raise  # not reached


@dataclasses.dataclass(frozen=True)
class _Output:
    """How `check` prints its report, from its flags."""

    format: str = "text"
    statistics: bool = False
    quiet: bool = False
    show_suppressed: bool = False
    show_source: bool = False
    file: Optional[str] = None
    no_color: bool = False
    fail_on: str = "info"
    exit_zero: bool = False


def _finish(result, output: _Output, prints, stale) -> None:
    """Print (or write) the report and exit with the status the findings call for."""
    color = not output.no_color and "NO_COLOR" not in os.environ and output.file is None
    text = _render(result, output, prints, stale)
    if color and output.format == "text":
        text = _colorize(text)  # click strips the colors again when standard output is not a terminal
    _write([text], output.file)
    failing = [f for f in result.visible if f.severity.rank >= Severity(output.fail_on).rank]
    sys.exit(EXIT_FINDINGS if failing and not output.exit_zero else EXIT_CLEAN)


class _Progress:
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


def _render(result, output: _Output, prints, stale) -> str:
    output_format = output.format
    if output.statistics:
        from linter.report import json as as_json
        from linter.report import text as report

        return as_json.statistics(result) if output_format == "json" else report.statistics(result)
    if output_format == "json":
        from linter.report import json as report

        return report.render(result)
    if output_format == "sarif":
        from linter.report import sarif

        return sarif.render(result, prints)
    if output_format == "gitlab":
        from linter.report import gitlab

        return gitlab.render(result, prints)
    if output_format == "github":
        from linter.report import github

        return github.render(result)
    if output_format == "checklist":
        from linter.report import checklist

        return checklist.render_markdown(result)
    if output_format == "html":
        from linter.report import html

        return html.render(result)
    from linter.report import text as report

    out = report.render(result, quiet=output.quiet, baseline=stale, show_source=output.show_source)
    if output.show_suppressed and result.suppressed:
        out += "Suppressed:\n" + "".join(f"  {report.format_finding(f)}\n" for f in result.suppressed)
    return out


def _colorize(text: str) -> str:
    import re

    return re.sub(
        r"^([^\s:][^:]*:\d+:\d+:) (CLV\d+)",
        lambda m: click.style(m.group(1), bold=True) + " " + click.style(m.group(2), fg="red", bold=True),
        text,
        flags=re.MULTILINE,
    )


def _codes(value: str) -> tuple:
    return selection.parse_codes(value)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes and write nothing.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply fixes marked unsafe (they change behaviour a person should review).",
)
@_config_options
@click.option("-q", "--quiet", is_flag=True, help="Print only what is left for a person (and any file not rewritten).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (2 still means a usage error).")
@_baseline_option("Neither fix nor list the findings recorded in this baseline file (`check --write-baseline`).")
@_output_file_option("the report (or the diff)")
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
    from linter.source.files import PathError

    paths = list(paths) or ["."]
    _, options = _options(paths, **shared)
    known = _baseline(baseline) if baseline else None
    keep = (lambda result: _not_in_baseline(result.visible, result.texts, known)) if known is not None else None
    try:
        outcome = fix_paths(paths, options, unsafe_fixes, diff=diff, keep=keep)
    except PathError as exc:
        _fail(str(exc))
        return
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
        kept = _not_in_baseline(left, texts, known)
        accepted, left = len(left) - len(kept), kept
    if left:
        out.append(("" if quiet else "\n") + outcome.first.speak(report.left_for_a_person(left)) + "\n")
    fixed_count = sum(len(v) for v in outcome.changed.values())
    verb = "Would fix" if diff else "Fixed"
    if not quiet:
        hidden = f" ({accepted} more in the baseline)" if accepted else ""
        out.append(f"{verb} {fixed_count} finding{'s' if fixed_count != 1 else ''}; {len(left)} left{hidden}.\n")
    _write(out, output_file)
    failing = left or diff and fixed_count
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)


def _baseline(path: str) -> set:
    from pathlib import Path

    from linter.report import baseline as baselines

    try:
        return baselines.read(Path(path))
    except baselines.BaselineError as exc:
        _fail(str(exc))
        raise  # not reached


def _not_in_baseline(findings, texts, known: set) -> list:
    from linter.report import baseline as baselines

    return baselines.filter_new(list(findings), texts, known)[0]


def _write(chunks, output_file) -> None:
    """The report to standard output, or to --output-file."""
    text = "".join(chunks)
    if output_file:
        from pathlib import Path

        try:
            Path(output_file).write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(f"{output_file}: cannot write the report ({exc.strerror or exc})")
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json", "html"]),
    default="markdown",
    show_default=True,
    help="Markdown reads well in a pull request; json is for tools; html is one self-contained page.",
)
@_config_options
@click.option(
    "--trace",
    "trace_file",
    type=click.Path(dir_okay=False),
    help="Also count the v2 requests of this `trace --format json` file that the static analysis misses.",
)
@_baseline_option("Leave out the findings recorded in this baseline file (`check --write-baseline`).")
@_output_file_option("the checklist")
def checklist(paths, output_format, trace_file, baseline, output_file, **shared) -> None:
    """Write the migration checklist of Clever's upgrade guide for PATHS (default: .).

    The seven steps of the guide, each ticked only when no finding remains for it (step 7,
    testing, is never ticked by static analysis), an inventory of the v2 endpoints the code
    uses, and the decisions only a person can take. Exit status: 0, or 2 on a usage error.
    """
    from linter.api import lint_paths
    from linter.report import checklist as report
    from linter.source.files import PathError

    paths = list(paths) or ["."]
    _, options = _options(paths, **shared)
    try:
        result = lint_paths(paths, options)
    except PathError as exc:
        _fail(str(exc))
        return
    if trace_file:
        result = _with_trace(result, trace_file, paths)
    if baseline:
        kept = {f.key for f in _not_in_baseline(result.visible, result.texts, _baseline(baseline))}
        hidden = {f.key for f in result.visible} - kept
        result.findings = [f for f in result.findings if f.key not in hidden]
    if output_format == "html":
        from linter.report import html

        text = html.render(result)
    else:
        text = report.render_json(result) if output_format == "json" else report.render_markdown(result)
    _write([text], output_file)


@main.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("command", nargs=-1, type=click.UNPROCESSED, required=True)
@click.option(
    "--fake-api",
    "fake",
    type=click.Choice(["off", "v2.1", "v3.1"]),
    default="off",
    show_default=True,
    help=(
        "Answer every Clever request with the local fake API of this version (v2.1 also answers v2.0, "
        "v3.1 also v3.0); off: the requests go where they were going, only recorded."
    ),
)
@click.option(
    "--roster",
    type=click.Path(dir_okay=False),
    help="A YAML or JSON roster for the fake API (students, teachers, staff, sections, events, tokens).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json is the input of `check --trace`.",
)
@_output_file_option("the report")
@click.option("--no-static", is_flag=True, help="Do not run `check` on the files that made v2 requests.")
@click.option(
    "--config",
    type=click.Path(),
    help="A .toml or .yaml configuration file (default: [tool.clever-upgrade] of the nearest pyproject.toml).",
)
def trace(command, fake, roster, output_format, output_file, no_static, config) -> None:
    """Run COMMAND and record every HTTP request its Python processes make to Clever.

    \b
        clever-upgrade trace -- python -m pytest tests/
        clever-upgrade trace --fake-api v3.1 -- python manage.py sync_clever

    Requests made through requests, urllib3, urllib/http.client, httpx and aiohttp are
    recorded with the line of your code that made them (mocked ones too), each endpoint with
    its v3.1 form; v2 endpoints that `check` does not report in the files of the request's
    stack are flagged "not found by check". Subprocesses are traced too (the interceptor
    rides on PYTHONPATH; `python -I` and `-S` turn it off).

    Exit status: 1 when any Clever v1.x/v2.x request was recorded; otherwise COMMAND's own
    status; 130 after Ctrl-C (passed to COMMAND); 2 on a usage error before COMMAND starts.
    """
    import json
    from pathlib import Path

    from linter.runtime import trace as tracing

    _, options = _options(["."], config=config)
    if roster and fake == "off":
        _fail("--roster is the fake API's roster: give --fake-api v2.1 or v3.1 too")
    roster_json = None
    if roster:
        roster_json = _roster_as_json(roster)
    try:
        run = tracing.run(command, fake, roster_json, options.clever_hosts)
    except tracing.TraceError as exc:
        _fail(str(exc))
        return
    finally:
        if roster_json:
            Path(roster_json).unlink()
    report = tracing.Trace.of(run.records, fake, options.target_version, command=run.command, returncode=run.returncode)
    files = report.files()
    if files and not no_static:
        from linter.api import lint_paths
        from linter.model import Confidence

        report.match(lint_paths(files, dataclasses.replace(options, min_confidence=Confidence.LOW, cache=False)))
    text = json.dumps(report.to_json(), indent=2) + "\n" if output_format == "json" else tracing.render_text(report)
    _write([text], output_file)
    if run.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if report.old:
        sys.exit(EXIT_FINDINGS)
    sys.exit(run.returncode if run.returncode >= 0 else 128 - run.returncode)


def _roster_as_json(path: str) -> str:
    """The roster checked, and written as JSON for the traced processes (which may not have
    PyYAML): a temporary file's path."""
    import json
    import tempfile

    from linter.runtime.fake_api import Roster, RosterError

    try:
        data = Roster.load(path).raw
    except RosterError as exc:
        _fail(str(exc))
        raise  # not reached
    handle, name = tempfile.mkstemp(prefix="clever-upgrade-roster-", suffix=".json")
    with open(handle, "w", encoding="utf-8") as out:
        json.dump(data, out)
    return name


@main.command("fake-api")
@click.option(
    "--version",
    "version",
    type=click.Choice(["v2.1", "v3.1", "all"]),
    default="v3.1",
    show_default=True,
    help="The API version served (v2.1 also answers v2.0, v3.1 also v3.0); all: both.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="0: any free port.")
@click.option("--roster", type=click.Path(dir_okay=False), help="A YAML or JSON roster (default: a small district).")
def fake_api_command(version, host, port, roster) -> None:
    """Serve the fake Clever API on a local port, for the parts of a stack that are not Python.

    Clever's envelope and paging, 404 for a path the version lacks, 401 without a bearer
    token (any token is a district app's, unless the roster names its tokens). Each request
    is logged on standard error. Ctrl-C stops it.
    """
    import time

    from linter.runtime.fake_api import FakeClever, Roster, RosterError, serve, versions_of

    try:
        loaded = Roster.load(roster) if roster else None
    except RosterError as exc:
        _fail(str(exc))
        return
    versions = versions_of("v2.1") + versions_of("v3.1") if version == "all" else versions_of(version)
    app = FakeClever(versions, loaded)
    try:
        server, base, _ = serve(app, host, port)
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port} ({exc.strerror or exc})")
        return
    click.echo(f"Fake Clever API {', '.join(versions)} on {base}; Ctrl-C stops it", err=True)
    seen = 0
    try:
        while True:
            time.sleep(0.2)
            for (method, target), status in list(zip(app.requests, app.statuses))[seen:]:
                click.echo(f"{status} {method} {target}", err=True)
                seen += 1
    finally:
        server.shutdown()
        server.server_close()


@main.command()
def server() -> None:
    """Run the language server (LSP over standard input and output), for editors.

    It publishes diagnostics for Python files as you type, offers each fixable finding as a
    quick fix (and "fix all", and "suppress with noqa"), and reads [tool.clever-upgrade] of the
    project. It needs the `server` extra (pygls, lsprotocol); docs/editors.md sets up VS Code,
    Neovim and Helix.
    """
    try:
        from linter.server import lsp
    except ImportError as exc:
        _fail(f"the language server needs the `server` extra ({exc.name} is missing): install clever-upgrade[server]")
        return
    lsp.main()


@main.group()
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
def daemon_start(foreground, idle_timeout) -> None:
    """Start the daemon for this installation (nothing happens when it is running)."""
    import time

    from linter.daemon import client as resident

    folder = _daemon_folder()
    path = resident.address(folder)
    if foreground:
        idle = idle_timeout if idle_timeout is not None else resident.IDLE_SECONDS
        try:
            from linter.daemon.server import serve

            if not serve(_daemon_run, path, _daemon_warm, idle=idle):
                _fail("a daemon for this installation is already running or starting")
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
                _fail("the daemon did not start within 30 seconds")
            time.sleep(0.05)
    status = resident.ask(path, "status") or {}
    click.echo(f"clever-upgrade daemon running (pid {status.get('pid')}) at {path}")


@daemon.command("stop")
def daemon_stop() -> None:
    """Stop every daemon of this user (of any installation)."""
    from linter.daemon import client as resident

    stopped = [path for path in resident.sockets(_daemon_folder()) if resident.ask(path, "stop") is not None]
    click.echo(f"stopped {len(stopped)} daemon{'s' if len(stopped) != 1 else ''}")


@daemon.command("status")
def daemon_status() -> None:
    """List the running daemons; exit 1 when none serves this installation."""
    from linter.daemon import client as resident

    folder = _daemon_folder()
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


def _daemon_folder() -> str:
    from linter.daemon import client as resident

    if not resident.supported():
        _fail("the daemon needs Unix sockets and fork, which this system lacks")
    folder = resident.directory()
    if folder is None:
        _fail("no private directory for the daemon's sockets (see CLEVER_UPGRADE_DAEMON_DIR)")
    return folder


def _daemon_run(argv, prog_name: str) -> int:
    """One command line in a forked copy of the daemon, as a process of its own would run it:
    the exit status it would end with."""
    try:
        main.main(args=argv, prog_name=prog_name, standalone_mode=True)
    except KeyboardInterrupt:  # before a command runs (_Group handles it in one)
        click.echo("clever-upgrade: interrupted", err=True)
        return EXIT_INTERRUPTED
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        click.echo(exc.code, err=True)
        return 1
    return 0


_WARM_SAMPLE = """import requests

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


def _daemon_warm() -> None:
    """What the daemon loads before it serves: a check and a fix of a small v2 module (every
    module those import, the catalog's patterns, the fields of the node classes they meet),
    then the rest of LibCST's node classes and the other report formats."""
    import contextlib
    import io
    import tempfile
    from pathlib import Path

    from linter import catalog
    from linter.report import checklist, github, gitlab, html, sarif  # noqa: F401 - loaded to be forked
    from linter.report import json as as_json  # noqa: F401
    from linter.syntax import walk

    with tempfile.TemporaryDirectory(prefix="clever-upgrade-warm-") as folder:
        (Path(folder) / "clever_sync.py").write_text(_WARM_SAMPLE, encoding="utf-8")
        for argv in (
            ["check", "--no-cache", "--exit-zero", folder],
            ["fix", "--diff", "--no-cache", "--exit-zero", folder],
        ):
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                _daemon_run(argv, "clever-upgrade")
    for row in catalog.endpoints():
        row.pattern  # noqa: B018 - compiled now, once
    walk.prepare()


@main.command()
def rules() -> None:
    """List the rules: code, name, checklist step, severity, fix safety."""
    from linter.report import rules_doc

    click.echo(rules_doc.table(), nl=False)


@main.command()
@click.argument("code")
def explain(code) -> None:
    """Explain rule CODE: what it flags, why, the fix, an example before and after."""
    from linter.report import rules_doc
    from linter.rules import REGISTRY

    rule = REGISTRY.get(code.upper())
    if rule is None:
        _fail(f"unknown rule {code!r} (see `clever-upgrade rules`)")
    click.echo(rules_doc.explain(rule), nl=False)


if __name__ == "__main__":
    main()
