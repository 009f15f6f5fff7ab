"""`trace` and `fake-api`: evidence from running the code (the work is linter.runtime's)."""

from __future__ import annotations

import sys

import click

from linter.cli.common import CONFIG_HELP, options, output_file_option, write


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
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
@output_file_option("the report")
@click.option("--no-static", is_flag=True, help="Do not run `check` on the files that made v2 requests.")
@click.option("--config", type=click.Path(), help=CONFIG_HELP)
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

    from linter.runtime import trace as tracing

    _, run_options = options(["."], config=config)
    run, report = tracing.trace(command, fake, roster, run_options, static=not no_static)
    text = json.dumps(report.to_json(), indent=2) + "\n" if output_format == "json" else tracing.render_text(report)
    write([text], output_file)
    sys.exit(tracing.exit_status(run, report))


@click.command("fake-api")
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
def fake_api(version, host, port, roster) -> None:
    """Serve the fake Clever API on a local port, for the parts of a stack that are not Python.

    Clever's envelope and paging, 404 for a path the version lacks, 401 without a bearer
    token (any token is a district app's, unless the roster names its tokens). Each request
    is logged on standard error. Ctrl-C stops it.
    """
    from linter.runtime.serve import serve_forever

    serve_forever(version, host, port, roster, lambda line: click.echo(line, err=True))
