"""GitHub Actions workflow commands: one annotation per finding."""

from __future__ import annotations

from linter.model import LintResult
from linter.report.formats import View

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render(result: LintResult, view: View = View()) -> str:
    lines = []
    for f in result.visible:
        properties = ",".join(
            [
                f"file={_escape(f.path, True)}",
                f"line={f.span.line}",
                f"col={f.span.column}",
                f"endLine={f.span.end_line}",
                f"endColumn={f.span.end_column}",
                f"title={_escape(f.code, True)}",
            ]
        )
        lines.append(f"::{LEVELS[f.severity.value]} {properties}::{_escape(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
