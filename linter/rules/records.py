"""v2 user records (checklist steps 2 and 3): the IDs kept from them, and the fields that moved
under roles.<role> in v3.1. Both read the data flow of linter.evaluate.flow: only values that
demonstrably came from a v2 role endpoint (or a v2 SDK call) are considered."""

from __future__ import annotations

import re
from typing import List, Optional

import libcst as cst

from linter import catalog
from linter.evaluate.flow import Value, ValueKind, reads
from linter.evaluate.template import HOLE, Hole
from linter.model import Confidence, Severity
from linter.rules.base import Rule, register
from linter.rules.context import ModuleContext, NodeFinding, Origin, ScopedVisitor
from linter.syntax.scope import callee_name

STORED_ID = register(
    Rule(
        code="CLV201",
        name="stored-v2-user-id",
        step=2,
        severity=Severity.ERROR,
        summary=(
            "A Clever user ID read from a v2 teacher, staff, district-admin or contact record and stored (a "
            "model field, a dict, a database write)."
        ),
        rationale=(
            "Only students keep their ID in v3. Every other stored ID must be mapped to the v3 "
            "user ID (roles.<role>.legacy_id holds the old one; the dashboard's v3 migration CSVs "
            "map them in bulk), and one person with several roles becomes one v3 user."
        ),
        invalid=(
            'for teacher in requests.get("https://api.clever.com/v2.1/teachers").json()["data"]:\n'
            '    db.save(Teacher(clever_id=teacher["data"]["id"]))\n'
        ),
        valid=(
            'for user in requests.get("https://api.clever.com/v3.1/users?role=teacher").json()["data"]:\n'
            '    old = user["data"]["roles"]["teacher"]["legacy_id"]\n'
            '    db.save(Teacher(clever_id=user["data"]["id"], replaces=old))\n'
        ),
        traits=frozenset({"v2-data"}),
        decisions=("account-model", "id-migration"),
    )
)
V2_ID_IN_V3_CALL = register(
    Rule(
        code="CLV202",
        name="v2-id-in-v3-endpoint",
        step=2,
        severity=Severity.ERROR,
        summary=(
            "A v3 /users/{id} endpoint called with an ID taken from a v2 teacher, staff, district-admin or "
            "contact record, or named for one (teacher_id) in code that maps no ID."
        ),
        rationale=(
            "v3 paths take the multi-role user ID; a v2 ID of any role but student is not found "
            "(or, worse, names someone else). Once a v2 path was moved to /users/{teacher_id}, the name "
            "is the only witness left: the finding stays until the code maps IDs (reads legacy_id)."
        ),
        invalid=(
            'teacher = requests.get(f"https://api.clever.com/v2.1/teachers/{tid}").json()["data"]\n'
            "requests.get(f\"https://api.clever.com/v3.1/users/{teacher['id']}/sections\")\n"
        ),
        valid=(
            'user = requests.get(f"https://api.clever.com/v3.1/users/{uid}").json()["data"]\n'
            "requests.get(f\"https://api.clever.com/v3.1/users/{user['id']}/sections\")\n"
        ),
        traits=frozenset({"v2-data"}),
        decisions=("id-migration",),
    )
)
MOVED_FIELD = register(
    Rule(
        code="CLV330",
        name="moved-user-field",
        step=3,
        severity=Severity.ERROR,
        summary=(
            "A field of a v2 user record that moved under roles.<role> in v3.1 (sis_id, grade, school, title, ...)."
        ),
        rationale=(
            "A v3 user keeps id, district, email and name at the top level; everything specific "
            "to a role (sis_id, student_number, grade, school, schools, teacher_number, title, "
            "credentials, ...) is under roles.<role>. Contacts' relationship and type became per "
            "student, and their name an object."
        ),
        invalid=(
            'student = requests.get(f"https://api.clever.com/v2.1/students/{sid}").json()["data"]\n'
            'grade = student["grade"]\n'
        ),
        valid=(
            'user = requests.get(f"https://api.clever.com/v3.1/users/{sid}").json()["data"]\n'
            'grade = user["roles"]["student"]["grade"]\n'
        ),
        traits=frozenset({"v2-data"}),
    )
)

_STORE_CALL = re.compile(
    r"^(save|upsert|insert|update|create|add|put|set|store|write|execute"
    r"|enrol|enroll|register|link|merge|cache|append|extend)"
)
# messages (catalog/libraries.yaml), and str.format building one
_LOG_CALLS = catalog.libraries().message_calls | {"format"}


def _label(role: Optional[str]) -> str:
    return catalog.roles().label(role)


def _id_advice(value: Value) -> str:
    return (
        f"{_label(value.role)} IDs change in v3.1: map them with roles.{value.role}.legacy_id of "
        "/v3.1/users (or the v3 migration CSVs) and keep the v3 user ID"
    )


class _RecordVisitor(ScopedVisitor):
    def __init__(self, context: ModuleContext):
        super().__init__(context)
        self.flow = context.flow()
        self.moved = catalog.fields()["moved"]
        self.reshaped = catalog.fields()["contact_reshaped"]
        # the module maps stored v2 IDs to v3 ones (reads legacy_id): its stored v3 IDs are fine
        self.maps_ids = b"legacy_id" in context.module.source

    def _changing_id(self, node) -> Optional[Value]:
        value = self.flow.value(node, self.scope)
        if value is not None and value.kind is ValueKind.USER_ID and value.role in catalog.roles().id_changing:
            return value
        return None

    def _stored(self, node) -> None:
        value = self._changing_id(node)
        if value is not None and value.v3:
            if not self.maps_ids:
                self.report(
                    STORED_ID,
                    node,
                    f"stores {_label(value.role)} IDs read from v3.1 ({value.endpoint}): the {_label(value.role)} "
                    f"IDs stored from v2 before are different IDs; map them with roles.{value.role}.legacy_id "
                    "(or the v3 migration CSVs) before comparing the two",
                    Confidence.MEDIUM,
                    f"{value.role} id",
                    "v3 user id",
                )
        elif value is not None:
            self.report(
                STORED_ID,
                node,
                f"stores a v2 {_label(value.role)} ID (from {value.endpoint}): {_id_advice(value)}",
                value.level,
                f"{value.role} id",
                "v3 user id",
            )

    def visit_Call(self, node: cst.Call) -> None:
        name = callee_name(node.func)[0]
        if name in _LOG_CALLS:
            return
        for arg in node.args:
            if arg.keyword is not None or _STORE_CALL.match(name) or name[:1].isupper():
                self._stored(arg.value)
        self._moved(node)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        self._stored(node.key)
        self._stored(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        if any(isinstance(t.target, (cst.Attribute, cst.Subscript)) for t in node.targets):
            self._stored(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Subscript):
                for element in target.target.slice:
                    if isinstance(element.slice, cst.Index):
                        self._stored(element.slice.value)  # an ID used as a key: cache[id] = ...

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._moved(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._moved(node)

    def _moved(self, node) -> None:
        found = reads(node)
        if found is None:
            return
        base, key = found
        value = self.flow.value(base, self.scope)
        if value is None or value.kind is not ValueKind.USER:
            return
        if value.v3:
            self._moved_in_v3(node, key, value)
            return
        if value.role is None:
            return
        role = value.role
        if role == "contact" and key in self.reshaped:
            target = self.reshaped[key]
            if key == "name":
                message = (
                    f"v2 contact name (from {value.endpoint}) is a string; in v3.1 it is an object {{first, "
                    f"middle, last}}"
                )
            else:
                message = f"v2 contact field {key!r} (from {value.endpoint}) is per related student in v3.1: {target}"
        elif key in self.moved.get(role, ()):
            target = f"roles.{role}.{key}"
            message = f"v2 {_label(role)} field {key!r} (from {value.endpoint}) is {target} in v3.1"
        else:
            return
        self.report(MOVED_FIELD, node, message, value.level, key, target)

    def _moved_in_v3(self, node, key: str, value: Value) -> None:
        """A v2 flat field read from a v3.1 user record: it is not there (it moved under
        roles.<role>), so the read is wrong for certain, whatever fixed the URL."""
        roles = (
            [value.role] if value.role is not None else sorted(r for r, fields in self.moved.items() if key in fields)
        )
        if not roles or key not in self.moved.get(roles[0], ()):
            return
        target = f"roles.{roles[0]}.{key}" if len(roles) == 1 else f"roles.<role>.{key}"
        message = f"reads the v2 field {key!r} from a v3.1 user record (from {value.endpoint}); in v3.1 it is {target}"
        self.report(MOVED_FIELD, node, message, Confidence.HIGH, key, target)


def _v2_ids_in_v3_calls(context: ModuleContext) -> List[NodeFinding]:
    out = []
    flow = context.flow()
    for evaluation in context.evaluations():
        template = evaluation.template
        flat = template.flat
        for match in re.finditer(rf"/users/{HOLE}", flat):
            part, _ = template.part_at(match.end() - 1)
            if not isinstance(part, Hole) or part.origin is None:
                continue
            value = flow.value(part.origin[0], part.origin[1])
            if (
                value is not None
                and value.kind is ValueKind.USER_ID
                and value.role in catalog.roles().id_changing
                and not value.v3
            ):
                out.append(
                    NodeFinding(
                        V2_ID_IN_V3_CALL,
                        evaluation.root.node,
                        (
                            f"calls a v3 /users/{{id}} endpoint with a v2 {_label(value.role)} ID (from "
                            f"{value.endpoint}): {_id_advice(value)}"
                        ),
                        value.level,
                        f"{value.role} id",
                        "v3 user id",
                    )
                )
    return out


def applies(context: ModuleContext) -> bool:
    """Records come from a v2 endpoint returning people, or from the v2 SDK."""
    return bool({Origin.USER, Origin.SDK} & context.origins)


def visitor(context: ModuleContext) -> "_RecordVisitor":
    return _RecordVisitor(context)


def finish(context: ModuleContext, visitor: "_RecordVisitor") -> List[NodeFinding]:
    return visitor.found + _v2_ids_in_v3_calls(context)


# Words of an identifier that name a role whose IDs change in v3 (teacher_id, staffId,
# district_admin["id"]); a name that also says "user" is taken for a v3 user.
_ID_WORDS = {
    "teacher": "teacher",
    "teachers": "teacher",
    "staff": "staff",
    "admin": "staff",
    "admins": "staff",
    "schooladmin": "staff",
    "districtadmin": "district_admin",
    "contact": "contact",
    "contacts": "contact",
}
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _named_role(hole: Hole) -> Optional[str]:
    """The ID-changing role an ID hole is named for (`teacher_id`, `row.staff_id`,
    `contact["id"]`, a parameter `teacherId`), or None: the only witness left of a v2 ID once
    its URL moved to v3."""
    words: List[str] = []
    for part in _names(hole.origin[0]) if hole.origin is not None else [hole.label]:
        words += [w.lower() for w in _WORD.findall(part)]
    if "user" in words or "users" in words:
        return None
    roles = {_ID_WORDS[w] for w in words if w in _ID_WORDS}
    if "district" in words and "staff" in roles:
        roles = (roles - {"staff"}) | {"district_admin"}
    return roles.pop() if len(roles) == 1 else None


def _names(node: cst.CSTNode) -> List[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, cst.Attribute):
        return _names(node.value) + [node.attr.value]
    if isinstance(node, cst.Subscript):
        keys = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
        return _names(node.value) + [k.value.strip("'\"") for k in keys if isinstance(k, cst.SimpleString)]
    if isinstance(node, cst.Call):
        return _names(node.func)
    return []


def ids_apply(context: ModuleContext) -> bool:
    """A v3 /users/{id} path can be called with an ID named for a teacher, staff or contact:
    the module mentions users and does not map IDs (reads no legacy_id)."""
    source = context.module.source
    return b"users" in source and b"legacy_id" not in source


def no_visitor(context: ModuleContext) -> None:
    """named_ids reads the module's evaluations only: it needs no walk."""
    return None


def named_ids(context: ModuleContext, visitor: None) -> List[NodeFinding]:
    """A v3.x /users/{id} path of Clever whose ID is named for a role whose IDs change
    (`/v3.1/users/{teacher_id}/sections`) while the module maps no ID: after a rewrite of
    `/v2.1/teachers/{teacher_id}` the ID is still the v2 one until the code maps it, and the
    finding stays until then (a noqa or the baseline hides it). An ID the data flow sees come
    from v3 is fine; one it sees come from a v2 record is CLV202's own finding."""
    out = []
    flow = context.flow()
    for evaluation in context.evaluations():
        analysis = evaluation.analysis
        if not (analysis.version or "").startswith("v3") or not (analysis.is_clever_host or context.clever()):
            continue
        template = evaluation.template
        for match in re.finditer(rf"/users/{HOLE}", template.flat):
            part, _ = template.part_at(match.end() - 1)
            if not isinstance(part, Hole) or (part.origin is None and part.param is None):
                continue
            role = _named_role(part)
            value = flow.value(part.origin[0], part.origin[1]) if part.origin is not None else None
            if role is None or (value is not None and (value.v3 or value.kind is ValueKind.USER_ID)):
                continue
            label = _label(role)
            out.append(
                NodeFinding(
                    V2_ID_IN_V3_CALL,
                    evaluation.root.node,
                    (
                        f"calls a v3 /users/{{id}} endpoint with an ID named for a {label}: {label} IDs change in "
                        f"v3.1, so unless it is already the v3 user ID, map it with roles.{role}.legacy_id of "
                        "/v3.1/users (or the v3 migration CSVs)"
                    ),
                    Confidence.MEDIUM,
                    f"{role} id",
                    "v3 user id",
                )
            )
    return out


# the checks of this family that walk a module (linter.rules.registry collects them)
NODE_CHECKS = ((applies, visitor, finish), (ids_apply, no_visitor, named_ids))
