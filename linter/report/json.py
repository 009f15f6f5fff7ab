"""The JSON contract (documented in README.md): {"version": 1, "findings": [...], "summary": {...}}."""

from __future__ import annotations

import json
from collections import Counter

from linter.model import LintResult
from linter.report.formats import View

SCHEMA_VERSION = 1


def to_data(result: LintResult) -> dict:
    shown = result.visible
    return {
        "version": SCHEMA_VERSION,
        "findings": [f.to_json() for f in shown],
        "summary": {
            "findings": len(shown),
            "fixable": sum(1 for f in shown if f.fixable),
            "files_checked": result.files_scanned,
            "files_with_findings": len({f.path for f in shown}),
            "by_code": dict(sorted(Counter(f.code for f in shown).items())),
            "min_confidence": result.min_confidence.value,
            "below_min_confidence": result.hidden,
        },
    }


def statistics(result: LintResult) -> str:
    """`--statistics --format json`: per code, most frequent first, the count and how many
    `fix` can do."""
    from linter.rules import REGISTRY

    shown = result.visible
    counts = Counter(f.code for f in shown)
    fixable = Counter(f.code for f in shown if f.fixable)
    rows = [
        {"code": code, "name": REGISTRY[code].name if code in REGISTRY else "", "count": n, "fixable": fixable[code]}
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return json.dumps(rows, indent=2) + "\n"


def render(result: LintResult, view: View = View()) -> str:
    if view.statistics:
        return statistics(result)
    return json.dumps(to_data(result), indent=2, sort_keys=False) + "\n"
