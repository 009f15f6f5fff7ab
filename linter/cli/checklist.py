"""`checklist`: the migration checklist of Clever's upgrade guide, from the findings."""

from __future__ import annotations

import click

from linter.cli.common import baseline_option, config_options, format_option, options, output_file_option, write


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@format_option("checklist", "markdown")
@config_options
@click.option(
    "--trace",
    "trace_file",
    type=click.Path(dir_okay=False),
    help="Also count the v2 requests of this `trace --format json` file that the static analysis misses.",
)
@baseline_option("Leave out the findings recorded in this baseline file (`check --write-baseline`).")
@output_file_option("the checklist")
def checklist(paths, output_format, trace_file, baseline, output_file, **shared) -> None:
    """Write the migration checklist of Clever's upgrade guide for PATHS (default: .).

    The seven steps of the guide, each ticked only when no finding remains for it (step 7,
    testing, is never ticked by static analysis), an inventory of the v2 endpoints the code
    uses, and the decisions only a person can take. Exit status: 0, or 2 on a usage error.
    """
    from linter.api import lint_paths
    from linter.cli.check import with_trace
    from linter.cli.common import read_baseline
    from linter.report import formats
    from linter.report.baseline import hide_known

    paths = list(paths) or ["."]
    _, run_options = options(paths, **shared)
    result = lint_paths(paths, run_options)
    if trace_file:
        result = with_trace(result, trace_file, paths)
    if baseline:
        hide_known(result, read_baseline(baseline))
    write([formats.get("checklist", output_format).render(result)], output_file)
