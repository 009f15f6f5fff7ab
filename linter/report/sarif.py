"""SARIF 2.1.0 for code-scanning tools: one run, a rule per registered rule, a result per
finding, partial fingerprints from the baseline fingerprint, and fixes where a safe fix exists."""

from __future__ import annotations

import json
from typing import Dict, List, Mapping

from linter import __version__
from linter.model import Finding, LintResult
from linter.report.formats import View

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rules() -> List[dict]:
    from linter.rules import REGISTRY

    rules = []
    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        rules.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.rationale},
                "help": {"text": _help(rule)},
                "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
                "properties": {"checklistStep": rule.step},
            }
        )
    return rules


def _help(rule) -> str:
    if rule.invalid is None:  # no source can show it (an unparsable file, a request seen at run time)
        return rule.rationale
    return f"{rule.rationale}\n\nExample (v2):\n{rule.invalid}\nMigrated:\n{rule.valid or ''}"


def _region(span) -> dict:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": max(span.end_column, 1),
    }


def _result(finding: Finding, index: Dict[str, int], fingerprint: str) -> dict:
    result = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": finding.path}, "region": _region(finding.span)}}
        ],
        "partialFingerprints": {"cleverUpgrade/v1": fingerprint},
        "properties": {"confidence": finding.confidence.value, "step": finding.step},
    }
    if finding.fix is not None:
        changes: Dict[str, list] = {}
        for edit in finding.fix.edits:
            changes.setdefault(edit.path, []).append(
                {"deletedRegion": _region(edit.span), "insertedContent": {"text": edit.replacement}}
            )
        result["fixes"] = [
            {
                "description": {"text": _fix_description(finding)},
                "artifactChanges": [
                    {"artifactLocation": {"uri": path}, "replacements": replacements}
                    for path, replacements in changes.items()
                ],
            }
        ]
    return result


def _fix_description(finding: Finding) -> str:
    text = f"Move to {finding.v3}" if finding.v3 else "Apply clever-upgrade fix"
    if finding.fix is not None and not finding.fix.safe:
        text += " (unsafe: it changes behaviour a person should review; `fix --unsafe-fixes` applies it)"
    return text


def to_data(result: LintResult, prints: Mapping[tuple, str]) -> dict:
    rules = _rules()
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "clever-upgrade",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": [_result(f, index, prints.get(f.key, "")) for f in result.visible],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def render(result: LintResult, view: View = View()) -> str:
    return json.dumps(to_data(result, view.prints), indent=2) + "\n"
