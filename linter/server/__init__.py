"""Layer `server`: the language server (`clever-upgrade server`, LSP over stdio, pygls and
lsprotocol from the `server` extra). A face beside the command line: it analyses an editor's
buffer with linter.api.lint_source (imports read from disk beside it, the project's
[tool.clever-upgrade] honoured) and turns findings into diagnostics and fixes into code actions.

May import: api and every layer below it."""
