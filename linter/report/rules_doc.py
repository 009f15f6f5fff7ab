"""The rules reference, generated from the rule metadata: `clever-upgrade rules`, `explain`,
and docs/rules.md (a test keeps the committed file current)."""

from __future__ import annotations

from linter.rules import REGISTRY
from linter.rules.base import STEPS, Rule


def fix_safety(code: str) -> str:
    """safe, unsafe (applied with --unsafe-fixes), or none; guards may still hold a fix back."""
    return REGISTRY[code].fix or "none"


def table() -> str:
    lines = [f"{'code':<7} {'name':<32} {'step':<5} {'severity':<8} fix"]
    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        lines.append(f"{rule.code:<7} {rule.name:<32} {rule.step:<5} {rule.severity.value:<8} {fix_safety(code)}")
    return "\n".join(lines) + "\n"


def explain(rule: Rule) -> str:
    parts = [
        f"{rule.code} {rule.name}",
        "",
        (
            f"Checklist step {rule.step}: {STEPS[rule.step]}. Severity: {rule.severity.value}. Fix: "
            f"{fix_safety(rule.code)}."
        ),
        "",
        f"What it flags: {rule.summary}",
        "",
        f"Why: {rule.rationale}",
    ]
    if rule.invalid is not None:
        parts += ["", "Before (v2):", "", *("    " + line for line in rule.invalid.rstrip("\n").splitlines())]
    if rule.valid is not None:
        parts += ["", "After (v3.1):", "", *("    " + line for line in rule.valid.rstrip("\n").splitlines())]
    return "\n".join(parts) + "\n"


def markdown() -> str:
    lines = [
        "# clever-upgrade rules",
        "",
        "Generated from the rule metadata by `python -m linter.report.rules_doc > docs/rules.md`;",
        "a test checks that this file is current.",
        "",
        "| code | name | step | severity | fix |",
        "|---|---|---|---|---|",
    ]
    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        lines.append(
            f"| [{code}](#{code.lower()}) | {rule.name} | {rule.step} | {rule.severity.value} | {fix_safety(code)} |"
        )
    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        lines += ["", f"## {code}", "", f"**{rule.name}**: {rule.summary}", "", rule.rationale, ""]
        lines.append(
            f"Checklist step {rule.step}: {STEPS[rule.step]}. Severity: {rule.severity.value}. Fix: {fix_safety(code)}."
        )
        if rule.invalid is not None:
            lines += ["", "Before (v2):", "", "```python", rule.invalid.rstrip("\n"), "```"]
        if rule.valid is not None:
            lines += ["", "After (v3.1):", "", "```python", rule.valid.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
