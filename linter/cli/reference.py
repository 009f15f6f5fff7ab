"""`rules`, `explain` and `server`: the rule reference, and the language server for editors."""

from __future__ import annotations

import click

from linter.model import UsageError


@click.command()
def rules() -> None:
    """List the rules: code, name, checklist step, severity, fix safety."""
    from linter.report import rules_doc

    click.echo(rules_doc.table(), nl=False)


@click.command()
@click.argument("code")
def explain(code) -> None:
    """Explain rule CODE (or NAME: `explain role-record-endpoint`): what it flags, why, the fix,
    an example before and after."""
    from linter.report import rules_doc
    from linter.rules import REGISTRY

    rule = REGISTRY.get(code.upper()) or next((r for r in REGISTRY.values() if r.name == code.lower()), None)
    if rule is None:
        raise UsageError(f"unknown rule {code!r} (see `clever-upgrade rules`)")
    click.echo(rules_doc.explain(rule), nl=False)


@click.command()
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
        raise UsageError(
            f"the language server needs the `server` extra ({exc.name} is missing): install clever-upgrade[server]"
        ) from None
    lsp.main()
