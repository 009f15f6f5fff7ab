"""Role endpoints and version pins in URLs (checklist step 3, and step 4 for v1 event feeds).

Reads one resolved URL template (see linter.evaluate.urls.analyze) and says which v2 constructs it
holds, where their literal text is, and what the v3.1 form is. The catalog is the only
source of the mapping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from linter import catalog
from linter.catalog import Endpoint, EndpointKind
from linter.evaluate.template import Lit
from linter.evaluate.urls import HostKind, UrlAnalysis
from linter.model import Confidence, Severity
from linter.rules.base import Rule, register
from linter.rules.events import RECORD_TYPE, query_record_types, record_type_message
from linter.rules.identity import ME_ON_V2, ME_UNVERSIONED

ROLE_COLLECTION = register(
    Rule(
        code="CLV301",
        name="role-collection-endpoint",
        step=3,
        severity=Severity.ERROR,
        summary=(
            "A v2 per-role collection (/students, /sections/{id}/teachers, ...) that v3.1 serves as users "
            "filtered by role."
        ),
        rationale=(
            "v3 has no /students, /teachers, /school_admins, /district_admins or /contacts "
            "paths: every person is one multi-role user, listed by /users?role=<role> (or "
            "/sections/{id}/users?role=..., /schools/{id}/users?role=...). School admins are "
            "the role staff in v3."
        ),
        invalid='requests.get("https://api.clever.com/v2.1/teachers", headers=auth)\n',
        valid='requests.get("https://api.clever.com/v3.1/users?role=teacher", headers=auth)\n',
        fix="safe",
        traits=frozenset({"role-path", "path-on-base"}),
    )
)
ROLE_RECORD = register(
    Rule(
        code="CLV302",
        name="role-record-endpoint",
        step=3,
        severity=Severity.ERROR,
        summary=(
            "A v2 per-role record or related endpoint (/teachers/{id}/sections, ...) that v3.1 serves under "
            "/users/{id}."
        ),
        rationale=(
            "v3 addresses every person as /users/{id} with the multi-role user ID; related data "
            "moves to /users/{id}/sections, /schools, /district, and /mystudents, /myteachers, "
            "/mycontacts for the people related to a user. Teacher, staff, district-admin and "
            "contact IDs change in v3 (students keep theirs), so the ID put in the path must be "
            "the v3 one."
        ),
        # a student's: a student keeps its ID in v3, so the rewrite is safe (a teacher's path moves only
        # with --unsafe-fixes, since the ID in it must become the v3 user ID first)
        invalid='BASE = "https://api.clever.com/v2.1"\nrequests.get(f"{BASE}/students/{student_id}/sections")\n',
        valid='BASE = "https://api.clever.com/v3.1"\nrequests.get(f"{BASE}/users/{student_id}/sections")\n',
        fix="safe",
        traits=frozenset({"role-path", "path-on-base"}),
    )
)
NO_EQUIVALENT = register(
    Rule(
        code="CLV303",
        name="endpoint-without-v3-equivalent",
        step=3,
        severity=Severity.ERROR,
        summary="A v2 endpoint with no direct v3.1 equivalent (/sections/{id}/teacher, /students/{id}/school, ...).",
        rationale=(
            "A few v2 shortcuts have no v3 path: the primary teacher of a section is the "
            "section's `teacher` field, and a user's primary school is roles.<role>.school on "
            "the user record. The replacement is two calls, which only a person can write."
        ),
        invalid='requests.get(f"https://api.clever.com/v2.1/sections/{section_id}/teacher")\n',
        valid='section = requests.get(f"https://api.clever.com/v3.1/sections/{section_id}").json()["data"]\n',
        traits=frozenset({"path-on-base"}),
    )
)
V1_ENDPOINT = register(
    Rule(
        code="CLV304",
        name="v1-endpoint",
        step=3,
        severity=Severity.ERROR,
        summary="An endpoint that existed only in API v1.x (/districts/{id}/students, per-record event feeds, ...).",
        rationale=(
            "API v1.1 and v1.2 were switched off in December 2022, and these paths were "
            "removed when v2.0 was built; code that still calls them has been failing since."
        ),
        invalid='requests.get("https://api.clever.com/v1.2/districts/%s/students" % district_id)\n',
        valid='requests.get("https://api.clever.com/v3.1/users?role=student")\n',
        traits=frozenset({"path-on-base"}),
    )
)
VERSION_PIN = register(
    Rule(
        code="CLV310",
        name="version-pin",
        step=3,
        severity=Severity.WARNING,
        summary="A Clever URL pinned to API v1.x or v2.x (a base URL, a version constant that feeds one, a full URL).",
        rationale=(
            "Clever chooses the API version only by the path prefix (/v2.1/...). Moving to v3.1 "
            "means changing the prefix, together with every role endpoint that uses the same "
            "base, in one change: a base on v3.1 with a role path still on v2 is a 404."
        ),
        invalid='CLEVER_API = "https://api.clever.com/v2.1"\n',
        valid='CLEVER_API = "https://api.clever.com/v3.1"\n',
        fix="safe",
    )
)
CONFIG_VERSION_PIN = register(
    Rule(
        code="CLV311",
        name="version-pin-in-config",
        step=3,
        severity=Severity.WARNING,
        summary=(
            "A Clever base URL with a v1.x or v2.x version in a configuration file (.env, .ini, .cfg, .toml, "
            ".yaml, .json)."
        ),
        rationale=(
            "Deployments often keep the base URL outside the code; the code can be migrated and "
            "still call v2 through its configuration."
        ),
        invalid="CLEVER_API_BASE=https://api.clever.com/v2.1\n",
        valid="CLEVER_API_BASE=https://api.clever.com/v3.1\n",
    )
)

# The rules whose fix rewrites a role path (codes, so that `finding.code in ENDPOINT_RULES` reads
# as what it means).
ENDPOINT_RULES = frozenset({ROLE_COLLECTION.code, ROLE_RECORD.code})

V3_PATH_ON_V2 = register(
    Rule(
        code="CLV312",
        name="v3-path-on-v2-base",
        step=3,
        severity=Severity.ERROR,
        summary="A v3-only path (/users, /users/{id}/mystudents, ...) on a Clever base still pinned to v1.x or v2.x.",
        rationale=(
            "v2 has no /users at any depth: such a URL is a 404 today. It is what a half-done "
            "migration leaves (the paths moved, the base did not); move the base to v3.1, with "
            "every other path on it."
        ),
        invalid='BASE = "https://api.clever.com/v2.1"\nrequests.get(BASE + "/users?role=teacher")\n',
        valid='BASE = "https://api.clever.com/v3.1"\nrequests.get(BASE + "/users?role=teacher")\n',
    )
)

_KIND_RULE = {
    EndpointKind.COLLECTION: ROLE_COLLECTION,
    EndpointKind.NESTED: ROLE_COLLECTION,
    EndpointKind.RECORD: ROLE_RECORD,
    EndpointKind.RELATED: ROLE_RECORD,
    EndpointKind.MANUAL: NO_EQUIVALENT,
    EndpointKind.V1: V1_ENDPOINT,
}


ENDPOINT_RULE_OF = _KIND_RULE  # the rule of each kind of catalog endpoint


@dataclass(frozen=True)
class UrlFinding:
    """A finding before it is placed: which rule, which flat characters of the template."""

    rule: Rule
    start: int
    end: int
    message: str
    v2: Optional[str]
    v3: Optional[str]
    severity: Severity


def id_advice(endpoint: Endpoint) -> str:
    if endpoint.role is None or "{id}" not in endpoint.v2:
        return ""
    first = endpoint.segments[0]
    if first not in catalog.roles().path_words:
        return ""
    if endpoint.id_changes:
        label = catalog.roles().labels.get(endpoint.role, endpoint.role)
        return (
            f"; the ID in this path must be the v3 user ID ({label} IDs change in v3; "
            f"the old one is roles.{endpoint.role}.legacy_id)"
        )
    return "; student IDs are the same in v3"


def endpoint_message(endpoint: Endpoint, v2: str, v3: Optional[str]) -> str:
    if endpoint.kind is EndpointKind.MANUAL:
        return f"v2 endpoint {v2} has no direct v3.1 equivalent: {endpoint.guidance}"
    if endpoint.kind is EndpointKind.V1:
        text = f"{v2} existed only in API v1.x, which has been gone since December 2022"
        if v3 is not None:
            text += f"; use {v3}"
        if endpoint.guidance:
            text += f"; {endpoint.guidance}"
        return text + id_advice(endpoint)
    text = f"v2 role endpoint {v2}: use {v3}"
    if endpoint.kind in (EndpointKind.COLLECTION, EndpointKind.NESTED) and endpoint.role == "staff":
        text += " (school admins are the role staff in v3)"
    if endpoint.note:
        text += f" ({endpoint.note})"
    return text + id_advice(endpoint)


def version_message(version: str, piece: str, target: str) -> str:
    """`piece` is the text of the literal that holds the version."""
    whole = piece.strip("/") == version
    what = f"version constant {piece!r} feeds a Clever URL" if whole else f"Clever API {version} URL"
    if version.startswith("v1"):
        return f"{what}: API v1.x has been gone since December 2022; move to {target}"
    return f"{what}: move to {target} together with every role endpoint on it"


def url_findings(analysis: UrlAnalysis, target: str = catalog.TARGET_VERSION) -> List[UrlFinding]:
    """Every v2 construct in one analysed URL template."""
    found: List[UrlFinding] = []
    endpoint = analysis.endpoint
    v2 = analysis.v2_display()
    v3 = analysis.v3_display(target)
    if endpoint is not None and endpoint.changed:
        rule = _KIND_RULE[endpoint.kind]
        anchor = analysis.segment_spans[endpoint.anchor]
        last = analysis.segment_spans[-1]
        found.append(UrlFinding(rule, anchor[0], last[1], endpoint_message(endpoint, v2, v3), v2, v3, rule.severity))
    if endpoint is not None and endpoint.v2 == "/me" and analysis.version is None and analysis.is_clever_host:
        start, end = analysis.segment_spans[0]
        found.append(
            UrlFinding(
                ME_UNVERSIONED,
                start,
                end,
                f"unversioned Clever /me: call the versioned one, {catalog.versioned('/me', target)}",
                "/me",
                catalog.versioned("/me", target),
                ME_UNVERSIONED.severity,
            )
        )
    if (
        endpoint is not None
        and endpoint.v2 == "/me"
        and analysis.old_version
        and analysis.version_span is not None
        and not _same_literal(analysis, analysis.version_span[0], analysis.segment_spans[-1][1])
    ):
        start, end = analysis.segment_spans[0]
        found.append(
            UrlFinding(
                ME_ON_V2,
                start,
                end,
                f'/me requested on a Clever API {analysis.version} base: in {target} it answers type "user", '
                "the v3 user ID and links to /users; move it with the code that reads it",
                f"/{analysis.version}/me",
                catalog.versioned("/me", target),
                ME_ON_V2.severity,
            )
        )
    if analysis.is_clever_host or analysis.endpoint is not None:
        for start, end, value in query_record_types(analysis.template.flat):
            found.append(
                UrlFinding(
                    RECORD_TYPE,
                    start,
                    end,
                    record_type_message(value),
                    f"record_type={value}",
                    "record_type=users",
                    RECORD_TYPE.severity,
                )
            )
    if analysis.v3_only_span is not None and endpoint is None:
        start, end = analysis.v3_only_span
        path = analysis.template.display()[analysis.path_start :].split("?", 1)[0]
        message = (
            f"v3-only path /{path} on a Clever API {analysis.version} base (a 404): "
            f"move the base to {target} together with every path on it"
        )
        found.append(UrlFinding(V3_PATH_ON_V2, start, end, message, None, None, V3_PATH_ON_V2.severity))
    if analysis.version_span is not None and analysis.old_version:
        start, end = analysis.version_span
        version = analysis.version or ""
        piece_v2 = f"/{version}"
        piece_v3 = f"/{target}"
        if endpoint is not None and _same_literal(analysis, start, analysis.segment_spans[-1][1]):
            # The whole endpoint is in the literal that holds the version: give the full pair.
            piece_v2, piece_v3 = v2, v3
        severity = Severity.ERROR if version.startswith("v1") else VERSION_PIN.severity
        part, _ = analysis.template.part_at(start)
        piece = part.text if isinstance(part, Lit) else version
        message = version_message(version, piece, target)
        found.append(UrlFinding(VERSION_PIN, start, end, message, piece_v2, piece_v3, severity))
    return found


def _same_literal(analysis: UrlAnalysis, start: int, end: int) -> bool:
    template = analysis.template
    if len(template.parts) == 1:
        return template.is_fully_literal  # one piece of text (a URL read from a config file)
    first = template.source_at(start)
    if first is None:
        return False
    for index in range(start + 1, end):
        other = template.source_at(index)
        if other is not None and other[0].literal is not first[0].literal:
            return False
    return True


def confidence(
    analysis: UrlAnalysis, clever_module: bool, foreign_module: bool, via_joiner: bool
) -> Optional[Confidence]:
    """How sure we are that this template is a Clever API URL; None: it is not one."""
    if analysis.host_kind is HostKind.OTHER:
        return None
    if via_joiner:
        # Joined to a Clever base inside a function found by name: likely, not proven.
        return Confidence.MEDIUM if analysis.endpoint is not None or analysis.v3_only_span is not None else None
    if analysis.is_clever_host:
        return Confidence.HIGH
    if analysis.version is not None and analysis.endpoint is not None:
        return Confidence.LOW if foreign_module and not clever_module else Confidence.HIGH
    if analysis.endpoint is None and analysis.v3_only_span is not None and analysis.version is not None:
        return Confidence.LOW if foreign_module and not clever_module else Confidence.HIGH
    if analysis.endpoint is None:
        # a URL builder putting a v1/v2 version between an unknown base and the path
        builder = analysis.leading_hole and analysis.old_version
        return Confidence.MEDIUM if builder and clever_module else None
    return Confidence.MEDIUM if clever_module else Confidence.LOW


__all__ = ["url_findings", "confidence", "UrlFinding"]
