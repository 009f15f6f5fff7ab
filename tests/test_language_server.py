"""The language server end to end, with pytest-lsp: a real `clever-upgrade server` process over
stdio; initialize, open a v2 file, diagnostics arrive; the code action carries the exact edit
of `clever-upgrade fix`; the fixed text clears the diagnostics; the server honours the
project's configuration and reads imported constants from disk."""

from __future__ import annotations

import sys

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is in the test extra")
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

V2 = 'import requests\n\nrequests.get("https://api.clever.com/v2.1/teachers")\n'
FIXED = 'import requests\n\nrequests.get("https://api.clever.com/v3.1/users?role=teacher")\n'


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "linter", "server"]))
async def client(lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="project")],
        )
    )
    lsp_client.root = root
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, name: str, text: str, version: int = 1) -> str:
    path = client.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def _apply(text: str, edits) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text


@pytest.mark.asyncio
async def test_diagnostics_quick_fix_and_the_fixed_text(client: LanguageClient):
    uri = await _open(client, "sync.py", V2)
    diagnostics = client.diagnostics[uri]
    assert [(d.code, d.range.start.line, d.range.start.character, d.severity) for d in diagnostics] == [
        ("CLV310", 2, 37, types.DiagnosticSeverity.Warning),
        ("CLV301", 2, 42, types.DiagnosticSeverity.Error),
    ]
    assert diagnostics[1].source == "clever-upgrade" and diagnostics[1].data["v3"] == "/v3.1/users?role=teacher"

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostics[1].range,
            context=types.CodeActionContext(diagnostics=[diagnostics[1]]),
        )
    )
    fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and a.title.startswith("Fix CLV301")]
    assert len(fixes) == 1 and fixes[0].is_preferred  # the path and its pin: one edit, both fixes
    assert _apply(V2, fixes[0].edit.changes[uri]) == FIXED
    noqa = [a for a in actions if a.title == "Suppress CLV301 with a noqa comment"]
    assert _apply(V2, noqa[0].edit.changes[uri]).splitlines()[2].endswith("  # noqa: CLV301")

    every = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert [a.kind for a in every] == [types.CodeActionKind.SourceFixAll]
    assert _apply(V2, every[0].edit.changes[uri]) == FIXED

    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=FIXED)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []


@pytest.mark.asyncio
async def test_imports_from_disk_and_the_projects_configuration(client: LanguageClient):
    (client.root / "settings.py").write_text('BASE = "https://api.clever.com/v2.1"\n')
    uri = await _open(
        client, "client.py", "import requests\nfrom settings import BASE\n\nrequests.get(BASE + '/students')\n"
    )
    assert [d.code for d in client.diagnostics[uri]] == ["CLV301"]  # the pin is in settings.py, not here
    (client.root / "pyproject.toml").write_text('[tool.clever-upgrade]\nignore = ["CLV301"]\n')
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []
