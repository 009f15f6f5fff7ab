"""The language server: diagnostics on open, change and save; a quick fix per fixable finding
(the exact edits of `clever-upgrade fix`, offered only when every fix it must move with is in
the same analysis), "fix all" (`source.fixAll`) and "suppress with noqa"; open buffers are
analysed again when a file on disk changes (a settings module they import, say)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Dict, List

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from linter import __version__
from linter.model import Finding, LintResult, Options, Severity, Span, fix_groups, safe_fixes, with_requirements

SOURCE = "clever-upgrade"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class CleverServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("clever-upgrade", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.results: Dict[str, LintResult] = {}  # uri -> the last analysis of the open buffer

    def options_for(self, path: str) -> Options:
        """The project's configuration for a file ([tool.clever-upgrade] of the nearest
        pyproject.toml); the defaults when there is none or it is broken."""
        from linter.config import ConfigError, discover, options

        try:
            settings = discover(Path(path))
            return options(settings)
        except ConfigError as exc:
            self.window_log_message(types.LogMessageParams(types.MessageType.Warning, f"clever-upgrade: {exc}"))
            return Options()

    def analyse(self, uri: str) -> None:
        from linter.api import lint_source

        path = to_fs_path(uri)
        if path is None:
            return
        document = self.workspace.get_text_document(uri)
        options = dataclasses.replace(self.options_for(path), cache=False, jobs=1)
        result = lint_source(document.source, path, options)
        self.results[uri] = result
        shown = [f for f in result.visible if _same(f.path, path)]
        diagnostics = [_diagnostic(f) for f in shown]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version)
        )


def _same(a: str, b: str) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _range(span: Span) -> types.Range:
    return types.Range(
        start=types.Position(line=span.line - 1, character=max(span.column - 1, 0)),
        end=types.Position(line=span.end_line - 1, character=max(span.end_column - 1, 0)),
    )


def _diagnostic(finding: Finding) -> types.Diagnostic:
    data = {"v2": finding.v2, "v3": finding.v3, "fixable": finding.fixable, "key": list(finding.key)}
    return types.Diagnostic(
        range=_range(finding.span),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.code,
        source=SOURCE,
        data=data,
    )


def _groups(findings: List[Finding]) -> Dict[tuple, List[Finding]]:
    """Each finding of `findings` that `fix` could rewrite from them -> its fix group: the fixes
    `fix` writes together (a version pin and the paths on its base, model.fix_groups); a finding
    whose group is not whole among them has none."""
    return {f.key: list(group.findings) for group in fix_groups(with_requirements(findings)) for f in group.findings}


def _edit(findings: List[Finding]) -> types.WorkspaceEdit:
    """One WorkspaceEdit for every edit of the findings' fixes, whatever files they touch."""
    changes: Dict[str, List[types.TextEdit]] = {}
    for finding in findings:
        for edit in finding.fix.edits:  # type: ignore[union-attr]
            uri = from_fs_path(str(Path(edit.path).resolve()))
            changes.setdefault(uri, []).append(types.TextEdit(range=_range(edit.span), new_text=edit.replacement))
    return types.WorkspaceEdit(changes=changes)


def _noqa_edit(uri: str, lines: List[str], finding: Finding, text: str) -> types.WorkspaceEdit:
    """`# noqa: CODE` at the end of the last line of the statement that holds the finding (as
    `check --add-noqa` writes it)."""
    from linter.analysis.noqa import with_noqa
    from linter.analysis.suppress import logical_lines

    last = logical_lines(text).get(finding.span.line, (finding.span.line, finding.span.end_line))[1]
    line = lines[last - 1].rstrip("\r\n") if last <= len(lines) else ""
    whole = types.Range(types.Position(last - 1, 0), types.Position(last - 1, len(line)))
    return types.WorkspaceEdit(changes={uri: [types.TextEdit(range=whole, new_text=with_noqa(line, {finding.code}))]})


server = CleverServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: CleverServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.analyse(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: CleverServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.analyse(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: CleverServer, params: types.DidSaveTextDocumentParams) -> None:
    for uri in list(ls.results):  # a saved module may hold what the others import
        ls.analyse(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: CleverServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.results.pop(params.text_document.uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def watched_files_changed(ls: CleverServer, params: types.DidChangeWatchedFilesParams) -> None:
    for uri in list(ls.results):
        ls.analyse(uri)


@server.feature(types.INITIALIZED)
def initialized(ls: CleverServer, params: types.InitializedParams) -> None:
    """Load the analysis (LibCST, the rules, the catalog) before the first file is opened, and
    ask the client to tell us about changes to Python and configuration files on disk."""
    from linter.api import lint_source

    lint_source('URL = "https://api.clever.com/v2.1/students"\n', "warm_up.py", Options(cache=False, jobs=1))
    workspace = ls.client_capabilities.workspace
    watching = workspace.did_change_watched_files if workspace is not None else None
    if watching is None or not watching.dynamic_registration:
        return
    watchers = [
        types.FileSystemWatcher(glob_pattern=pattern)
        for pattern in ("**/*.py", "**/pyproject.toml", "**/*.{env,ini,cfg,toml,yaml,yml,json}")
    ]
    ls.client_register_capability(
        types.RegistrationParams(
            registrations=[
                types.Registration(
                    id="clever-upgrade-watch",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                )
            ]
        )
    )


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll],
        resolve_provider=False,
    ),
)
def code_actions(ls: CleverServer, params: types.CodeActionParams) -> List[types.CodeAction]:
    uri = params.text_document.uri
    result = ls.results.get(uri)
    path = to_fs_path(uri)
    if result is None or path is None:
        return []
    document = ls.workspace.get_text_document(uri)
    mine = [f for f in result.visible if _same(f.path, path)]
    wanted = params.context.only
    actions: List[types.CodeAction] = []
    if not wanted or types.CodeActionKind.QuickFix in wanted:
        start, end = params.range.start.line + 1, params.range.end.line + 1
        groups = _groups(result.visible)
        for finding in mine:
            if finding.span.end_line < start or finding.span.line > end:
                continue
            diagnostic = _diagnostic(finding)
            group = groups.get(finding.key)
            if group is not None:
                safe = all(f.fix.safe for f in group)  # type: ignore[union-attr]
                title = f"Fix {finding.code}: {finding.v3}" if finding.v3 else f"Fix {finding.code}"
                if len(group) > 1:
                    title += f" (with {len(group) - 1} tied fix{'es' if len(group) > 2 else ''})"
                if not safe:
                    title += " [unsafe: review it]"
                actions.append(
                    types.CodeAction(
                        title=title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=_edit(group),
                        is_preferred=safe,
                    )
                )
            actions.append(
                types.CodeAction(
                    title=f"Suppress {finding.code} with a noqa comment",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=_noqa_edit(uri, document.lines, finding, document.source),
                )
            )
    if not wanted or any(kind.startswith(types.CodeActionKind.SourceFixAll) for kind in wanted):
        touching = [g for g in fix_groups(safe_fixes(result.visible)) if any(_same(f.path, path) for f in g.findings)]
        chosen = {f.key: f for group in touching for f in group.findings}
        if chosen:
            actions.append(
                types.CodeAction(
                    title=f"Fix all safe clever-upgrade findings ({len(chosen)})",
                    kind=types.CodeActionKind.SourceFixAll,
                    edit=_edit(list(chosen.values())),
                )
            )
    return actions


def main() -> None:
    server.start_io()
