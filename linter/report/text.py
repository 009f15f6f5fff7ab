"""`path:line:col: CODE message`, one line a finding, then a summary line (like ruff)."""

from __future__ import annotations

from typing import List

from linter.api import LintResult
from linter.findings import Finding


def format_finding(finding: Finding) -> str:
    return f"{finding.path}:{finding.span.line}:{finding.span.column}: {finding.code} {finding.message}"


def summary(result: LintResult) -> str:
    shown = result.visible
    files = len({f.path for f in shown})
    if not shown:
        text = f"No Clever v2 constructs found in {_count(result.files_scanned, 'file')}."
    else:
        fixable = sum(1 for f in shown if f.fixable)
        text = (
            f"Found {_count(len(shown), 'finding')} in {_count(files, 'file')} "
            f"({result.files_scanned} checked)"
        )
        if fixable:
            text += f"; {fixable} fixable with `clever-upgrade fix`"
        text += "."
    if result.hidden:
        text += (
            f" {_count(result.hidden, 'finding')} below {result.min_confidence.value} confidence "
            f"not shown (--min-confidence low shows them)."
        )
    return text


def render(result: LintResult, quiet: bool = False) -> str:
    lines: List[str] = [format_finding(f) for f in result.visible]
    if not quiet:
        lines.append(summary(result))
    return "\n".join(lines) + ("\n" if lines else "")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


STEP_TITLES = {
    1: "Audit current usage of role-based endpoints",
    2: "Migrate to the v3.x User ID",
    3: "Update your User Endpoints",
    4: "Adjust Event Handling",
    5: "Account for Identity API Changes (SSO)",
    6: "Plan for Multi-Role Users",
    7: "Testing with sandbox data",
}


def left_for_a_person(findings: List[Finding]) -> str:
    """What `fix` leaves, grouped by checklist step, with why a fix was not made, and for each
    kind of finding the v3.1 form to aim for (the rule's own migrated example)."""
    from linter.rules import REGISTRY

    lines = ["Left for a person, by checklist step:"]
    for step in sorted({f.step for f in findings}):
        lines.append(f"Step {step}. {STEP_TITLES.get(step, '')}")
        codes = []
        for finding in findings:
            if finding.step == step:
                line = "  " + format_finding(finding)
                if finding.note:
                    line += f" [{finding.note}]"
                elif finding.fix is not None and not finding.fix.safe:
                    line += " [an unsafe fix exists: --unsafe-fixes]"
                lines.append(line)
                if finding.code not in codes:
                    codes.append(finding.code)
        for code in sorted(codes):
            rule = REGISTRY.get(code)
            if rule is not None and rule.valid:
                lines.append(f"  {code} in v3.1 looks like:")
                lines.extend("      " + text for text in rule.valid.rstrip("\n").splitlines())
    return "\n".join(lines)
