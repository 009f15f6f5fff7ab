"""What the commands share: the exit statuses, the options of check, fix and checklist and the
Options they make, --output-file and --baseline, and writing a report."""

from __future__ import annotations

import dataclasses

import click

from linter import selection
from linter.model import UsageError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

CONFIG_HELP = "A .toml or .yaml configuration file (default: [tool.clever-upgrade] of the nearest pyproject.toml)."


def config_options(function):
    """Options shared by check, fix and checklist."""
    options = [
        click.option("--config", type=click.Path(), help=CONFIG_HELP),
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


def output_file_option(what: str):
    return click.option(
        "-o",
        "--output-file",
        type=click.Path(dir_okay=False, writable=True),
        help=f"Write {what} to this file instead of standard output.",
    )


def baseline_option(help_text: str):
    return click.option("--baseline", type=click.Path(dir_okay=False), help=help_text)


def format_option(command: str, default: str, extra_help: str = ""):
    """--format with the formats the registry (linter.report.formats) offers `command`."""
    from linter.report import formats

    return click.option(
        "--format",
        "--output-format",  # ruff's name for it
        "output_format",
        type=click.Choice(list(formats.offered(command))),
        default=default,
        show_default=True,
        help=formats.help_text(command) + extra_help,
    )


def options(
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
    """(settings, Options) from the flags of config_options (passed on as `**shared` by each
    command) and the configuration file (--config, or the nearest pyproject.toml); a bad
    value is a usage error."""
    from pathlib import Path

    from linter import config as configuration
    from linter.rules.codes import CODES

    extra.update(follow_symlinks=follow_symlinks, jobs=jobs, cache=not no_cache, prefilter=not no_prefilter)
    if no_respect_gitignore:
        extra["respect_gitignore"] = False
    select, ignore = selection.parse_codes(select), selection.parse_codes(ignore)
    for flag, codes in (("--select", select), ("--ignore", ignore)):
        for code in selection.unknown(codes, CODES):
            raise UsageError(f"{flag}: unknown rule code or prefix {code!r} (see `clever-upgrade rules`)")
    found = configuration.load(Path(config)) if config else configuration.discover(Path(paths[0] if paths else "."))
    settings = configuration.override(
        found, select=select, ignore=ignore, min_confidence=min_confidence, target_version=target_version
    )
    if extend_exclude:
        more = tuple(item.strip() for item in extend_exclude.split(",") if item.strip())
        settings = dataclasses.replace(settings, extend_exclude=settings.extend_exclude + more)
    return settings, configuration.options(settings, known_codes=CODES, **extra)


def read_baseline(path: str) -> set:
    from pathlib import Path

    from linter.report import baseline

    return baseline.read(Path(path))


def write(chunks, output_file) -> None:
    """The report to standard output, or to --output-file."""
    text = "".join(chunks)
    if output_file:
        from pathlib import Path

        try:
            Path(output_file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{output_file}: cannot write the report ({exc.strerror or exc})") from None
    else:
        click.echo(text, nl=False)
