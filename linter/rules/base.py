"""Rule metadata: each rule declares who it is next to its code; docs and `explain` read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional, Tuple

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
    # what `fix` makes of `invalid` (with --unsafe-fixes for an unsafe fix) where that is not
    # `valid` itself; tests/test_rule_examples.py holds the planner to `fix` and to this
    fixed: Optional[str] = None
    # what the planner and the reports ask of the rule's findings (the TRAITS below)
    traits: FrozenSet[str] = frozenset()
    # the decisions only a person can take that a finding of the rule raises (DECISIONS' keys)
    decisions: Tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = (set(self.traits) - set(TRAITS)) | (set(self.decisions) - set(DECISIONS))
        if unknown:
            raise ValueError(f"{self.code}: unknown trait or decision {sorted(unknown)}")

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

# What a rule's findings are, for the planner (linter.fix) and the reports: each asks the rules
# for a trait, never for a list of codes.
TRAITS: Dict[str, str] = {
    "role-path": "a v2 role path that becomes a v3.1 users path (rewritten with its base)",
    "path-on-base": "a v2 path joined to a base, whose pin it holds until it moves",
    "event-dispatch": "code that dispatches on v2 event types (the events pin waits for it)",
    "reads-me-type": "code that reads the role from /me's type (an unversioned /me waits for it)",
    "v2-data": "code that reads v2 data (IDs, fields): a rewrite of its request changes what it gets",
    "sdk-endpoint": "a v2 SDK call whose endpoint belongs to the checklist's inventory",
}


@dataclass(frozen=True)
class Decision:
    """A decision only a person can take, raised by the findings of the rules that name it."""

    key: str
    title: str
    question: str


DECISIONS: Dict[str, Decision] = {
    d.key: d
    for d in (
        Decision(
            "account-model",
            "Account model for multi-role users",
            "One account per person whatever the roles (the guide's option 1), or one account per "
            "role with a way to switch (option 2)? A teacher who is also staff is one v3 user.",
        ),
        Decision(
            "permissions",
            "Permission policy",
            "Which permissions does a user with several roles get: the highest role's, the union, "
            "or an explicit grant by a district admin?",
        ),
        Decision(
            "id-migration",
            "ID migration path",
            "How do stored teacher, staff, district-admin and contact IDs become v3 user IDs: match "
            "roles.<role>.legacy_id while syncing, load the dashboard's v3 migration CSVs, or start "
            "afresh on a cut-over date?",
        ),
        Decision(
            "client",
            "HTTP client for v3.1",
            "There is no official v3 Python SDK: generate a client from Clever's v3.1 OpenAPI "
            "definition, or call the API directly?",
        ),
    )
}

REGISTRY: Dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code in REGISTRY:
        raise ValueError(f"rule code {rule.code} registered twice")
    REGISTRY[rule.code] = rule
    return rule


def codes_with(trait: str) -> FrozenSet[str]:
    """The codes of the registered rules that have `trait` (every family must be imported:
    linter.rules.registry imports them)."""
    if trait not in TRAITS:
        raise KeyError(trait)
    return frozenset(code for code, rule in REGISTRY.items() if trait in rule.traits)


def raising(decision: str) -> FrozenSet[str]:
    """The codes of the registered rules whose findings raise `decision`."""
    return frozenset(code for code, rule in REGISTRY.items() if decision in rule.decisions)
