"""Rule metadata: each rule declares who it is next to its code; docs and `explain` read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

from linter.model import Confidence, Finding, Fix, Severity, Span


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    step: int  # the upgrade guide's checklist step, 1-7
    severity: Severity
    summary: str
    rationale: str
    invalid: Optional[str]  # an example the rule reports (None: no source can show it)
    valid: Optional[str]  # the same code migrated: the rule reports nothing
    fix: Optional[str] = None  # "safe", "unsafe", or None when only a human can migrate it

    def finding(
        self,
        path: str,
        span: Span,
        message: str,
        confidence: Confidence,
        *,
        severity: Optional[Severity] = None,
        v2: Optional[str] = None,
        v3: Optional[str] = None,
        fix: Optional[Fix] = None,
        note: Optional[str] = None,
    ) -> Finding:
        """A finding of this rule: its code, step and (unless overridden) severity."""
        return Finding(
            path=path,
            span=span,
            code=self.code,
            step=self.step,
            severity=severity or self.severity,
            confidence=confidence,
            message=message,
            v2=v2,
            v3=v3,
            fix=fix,
            note=note,
        )


# The "Steps to upgrade" of Clever's upgrade guide (../shared/seed/), which findings belong to.
STEPS: Dict[int, str] = {
    1: "Audit current usage of role-based endpoints",
    2: "Migrate to the v3.x User ID",
    3: "Update your User Endpoints",
    4: "Adjust Event Handling (if applicable)",
    5: "Account for Identity API Changes (SSO)",
    6: "Plan for Multi-Role Users",
    7: "Testing with sandbox data",
}

REGISTRY: Dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code in REGISTRY:
        raise ValueError(f"rule code {rule.code} registered twice")
    REGISTRY[rule.code] = rule
    return rule
