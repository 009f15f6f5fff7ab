"""Identity (checklist step 5) and multi-role users (step 6).

v3.1's /me says type "user" for everyone: code that reads the role from it, compares it with
v2 role names, builds role paths from it, or keeps one role per user must change."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from linter import catalog
from linter.evaluate.flow import Value, ValueKind, reads
from linter.evaluate.template import HOLE, Hole, Lit, Template
from linter.model import Confidence, Severity
from linter.rules.base import Rule, register
from linter.rules.context import (
    ModuleContext,
    NodeFinding,
    Origin,
    ScopedVisitor,
    string_elements,
)

ME_UNVERSIONED = register(
    Rule(
        code="CLV501",
        name="unversioned-me",
        step=5,
        severity=Severity.WARNING,
        summary="A Clever /me URL without an API version.",
        rationale=(
            "Clever's upgrade notes say to call the versioned /me; what an unversioned call "
            "returns now that v1 is gone is not documented. v3.1 is https://api.clever.com/v3.1/me."
        ),
        invalid='ME_URL = "https://api.clever.com/me"\n',
        valid='ME_URL = "https://api.clever.com/v3.1/me"\n',
        fix="safe",
    )
)
ME_ON_V2 = register(
    Rule(
        code="CLV505",
        name="me-on-v2-base",
        step=5,
        severity=Severity.WARNING,
        summary="A /me path requested on a Clever base (or through a URL builder) pinned to v1.x or v2.x.",
        rationale=(
            "The version of a /me request decides what it answers: in v3.1 the type is always "
            '"user", the ID is the v3 user ID (teacher, staff and contact IDs change) and the links '
            "point at /users. The pin is reported where the version is written; this finding marks "
            "the /me request itself, whose readers (the ID kept, a link followed) move with it."
        ),
        invalid=(
            'API = "https://api.clever.com/v2.1"\n'
            'me = requests.get(API + "/me", headers=h).json()\n'
            'teacher_id = me["data"]["id"]\n'
        ),
        valid=(
            'API = "https://api.clever.com/v3.1"\n'
            'me = requests.get(API + "/me", headers=h).json()\n'
            'user_id = me["data"]["id"]\n'
        ),
        traits=frozenset({"path-on-base"}),
        decisions=("account-model",),
    )
)
ME_TYPE = register(
    Rule(
        code="CLV502",
        name="role-from-me-type",
        step=5,
        severity=Severity.ERROR,
        summary="The role read from the type of a Clever /me response.",
        rationale=(
            'In v3.1 /me always answers type "user". The roles are the keys of data.roles of '
            "/v3.1/users/{id}, and one user can hold several."
        ),
        invalid=(
            'me = requests.get("https://api.clever.com/v2.1/me", headers=h).json()\n'
            'if me["data"]["type"] == "teacher":\n    grant_teacher()\n'
        ),
        valid=(
            'me = requests.get("https://api.clever.com/v3.1/me", headers=h).json()\n'
            "user = requests.get(f\"https://api.clever.com/v3.1/users/{me['data']['id']}\", headers=h).json()\n"
            'if "teacher" in user["data"]["roles"]:\n    grant_teacher()\n'
        ),
        traits=frozenset({"reads-me-type"}),
        decisions=("account-model",),
    )
)
ROLE_NAME = register(
    Rule(
        code="CLV503",
        name="v2-role-name",
        step=5,
        severity=Severity.ERROR,
        summary='A v2 role name compared with the /me type ("teacher", "school_admin", ...).',
        rationale=(
            'The comparison never holds in v3.1 (the type is "user"); test membership in the '
            "user's roles instead. School admins are the role staff in v3."
        ),
        invalid=(
            'me = requests.get("https://api.clever.com/v2.1/me").json()\n'
            'is_admin = me["type"] in ("school_admin", "district_admin")\n'
        ),
        valid=(
            'user = requests.get(f"https://api.clever.com/v3.1/users/{uid}").json()\n'
            'is_admin = bool({"staff", "district_admin"} & set(user["data"]["roles"]))\n'
        ),
        traits=frozenset({"reads-me-type"}),
        decisions=("account-model", "permissions"),
    )
)
PATH_FROM_TYPE = register(
    Rule(
        code="CLV504",
        name="endpoint-from-me-type",
        step=5,
        severity=Severity.ERROR,
        summary='A v2 endpoint built from the /me type ("/v2.1/%ss/%s" % (type, id), type + "s").',
        rationale=(
            "v2 code turned the /me type into a role path (teacher -> /teachers/{id}). In v3.1 "
            "there is one path for everyone: /v3.1/users/{id}."
        ),
        invalid=(
            'me = requests.get("https://api.clever.com/v2.1/me").json()["data"]\n'
            'url = "https://api.clever.com/v2.1/%ss/%s" % (me["type"], me["id"])\n'
        ),
        valid=(
            'me = requests.get("https://api.clever.com/v3.1/me").json()["data"]\n'
            'url = "https://api.clever.com/v3.1/users/%s" % me["id"]\n'
        ),
        traits=frozenset({"reads-me-type"}),
        decisions=("account-model",),
    )
)
SINGLE_ROLE = register(
    Rule(
        code="CLV601",
        name="single-role-assumption",
        step=6,
        severity=Severity.WARNING,
        summary=(
            "Code that assumes one role per user: an if/elif chain over the role, list(roles)[0], a role kept "
            "in one field."
        ),
        rationale=(
            "A v3 user can be teacher, staff and district admin at once. Picking the first role, "
            "branching on a single role value or storing one role loses the others; the account "
            "model (one account, or one per role) and the permission policy are decisions for a "
            "person (step 6 of the upgrade guide)."
        ),
        invalid='role = list(user["roles"].keys())[0]\n',
        valid='roles = set(user["roles"])\n',
        decisions=("account-model", "permissions"),
    )
)

ROLE_DISPATCH = register(
    Rule(
        code="CLV602",
        name="role-fallback-or-fan-out",
        step=6,
        severity=Severity.ERROR,
        summary=(
            "Two or more v2 role endpoints in one function that become the same v3.1 call: a fallback "
            "(/students/{id}, else /teachers/{id}) or one call per role."
        ),
        rationale=(
            "In v3.1 one path serves every role (/users/{id}, /users/{id}/sections), so rewriting each "
            "call makes the branches identical: a fallback always takes its first branch and tags every "
            "user with the first role, a per-role loop fetches everything once per role. Fetch once and "
            "read the roles from data.roles; the endpoints are never rewritten one by one."
        ),
        invalid=(
            "import requests\n"
            'BASE = "https://api.clever.com/v2.1"\n'
            "def person(uid):\n"
            '    found = requests.get(f"{BASE}/students/{uid}")\n'
            "    if found.status_code == 404:\n"
            '        found = requests.get(f"{BASE}/teachers/{uid}")\n'
            "    return found.json()\n"
        ),
        valid=(
            "import requests\n"
            'BASE = "https://api.clever.com/v3.1"\n'
            "def person(uid):\n"
            '    user = requests.get(f"{BASE}/users/{uid}").json()["data"]\n'
            '    return user, set(user["roles"])\n'
        ),
    )
)


def role_dispatches(calls: List[Tuple[object, str, str]]) -> List[List[int]]:
    """Groups of calls that become one v3.1 call: `calls` is (key, v2 endpoint, v3.1 endpoint)
    per role-endpoint call, the key naming the function and what fills the path (None: never
    grouped); a group is the indexes of two or more calls of one key whose different v2
    endpoints share their v3.1 form."""
    by_target: Dict[Tuple[object, str], List[int]] = {}
    for index, (function, _, v3) in enumerate(calls):
        if function is not None:
            by_target.setdefault((function, v3), []).append(index)
    return [group for group in by_target.values() if len({calls[i][1] for i in group}) > 1]


def listed_places(places: List[Tuple[str, int]]) -> str:
    """`/teachers/{id} (line 11) and /students/{id} (line 12)`; calls on one line name it once
    (`/teachers/{id} and /students/{id} (line 14)`), and a call repeated is listed once."""
    by_line: Dict[int, List[str]] = {}
    for v2, line in places:
        if v2 not in by_line.setdefault(line, []):
            by_line[line].append(v2)
    parts = [f"{' and '.join(v2s)} (line {line})" for line, v2s in by_line.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def role_dispatch_message(v3: str, places: List[Tuple[str, int]]) -> str:
    """`places`: (v2 endpoint, line) of each call of one group."""
    listed = listed_places(places)
    verb = "both become" if len(set(places)) == 2 else "all become"
    return (
        f"role fallback or per-role calls: {listed} {verb} {v3}, one call whatever the roles; "
        "fetch it once and read the roles from data.roles (never rewritten call by call)"
    )


def _is_roles(node: cst.BaseExpression, follow=None, depth: int = 0) -> bool:
    """`x["roles"]`, `x.roles`, `x.get("roles")`, `x["roles"].keys()`, a variable named roles,
    or (with `follow`, which gives the expression a name is bound to in its own scope) a
    variable bound to one of these: `role_map = data.get("roles")`, then `list(role_map.keys())`."""
    if depth > 4:
        return False
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "keys":
        return _is_roles(node.func.value, follow, depth + 1)
    found = reads(node)
    if found is not None:
        return found[1] == "roles"
    if not isinstance(node, cst.Name):
        return False
    if node.value in ("roles", "user_roles"):
        return True
    bound = follow(node) if follow is not None else None
    return bound is not None and _is_roles(bound, follow, depth + 1)


class _IdentityVisitor(ScopedVisitor):
    def __init__(self, context: ModuleContext):
        super().__init__(context)
        self.flow = context.flow()
        self.chains_seen: set = set()

    def _value(self, node) -> Optional[Value]:
        return self.flow.value(node, self.scope)

    def _type_read(self, node) -> Optional[Value]:
        found = reads(node)
        if found is None or found[1] != "type":
            return None
        base = self._value(found[0])
        return base if base is not None and base.kind is ValueKind.ME else None

    def _report_type_read(self, node) -> None:
        base = self._type_read(node)
        if base is not None:
            self.report(
                ME_TYPE,
                node,
                f'reads the role from the {base.endpoint} type, which is always "user" in v3.1: '
                "fetch /v3.1/users/{id} and read the keys of data.roles (a user can hold several)",
                base.level,
                "/me type",
                "roles of /v3.1/users/{id}",
            )

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._report_type_read(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._report_type_read(node)

    def visit_Call(self, node: cst.Call) -> None:
        self._report_type_read(node)
        self._first_role(node)

    # -- comparisons with v2 role names ----------------------------------------------------------
    def _is_type(self, node) -> Optional[Value]:
        value = self._value(node)
        return value if value is not None and value.kind is ValueKind.ME_TYPE else None

    def _named_type(self, node) -> Optional[Value]:
        """Where the flow cannot follow the /me response (kept on `self`, returned in a dict and
        read back by a framework in another function), a type read by its name (`x["type"]`,
        `x.type`, `x.get("type")`, `user_type`, `self.user_type`) in a module whose own code talks
        to Clever's /me: medium, the evidence being the module's, not the value's."""
        if not _type_named(node) or not me_module(self.context):
            return None
        return NAMED_ME_TYPE

    def visit_Comparison(self, node: cst.Comparison) -> None:
        operands = [node.left] + [c.comparator for c in node.comparisons]
        typed = next((v for v in map(self._is_type, operands) if v is not None), None)
        typed = typed or next((v for v in map(self._named_type, operands) if v is not None), None)
        if typed is None:
            return
        for operand in operands:
            for element in string_elements(self._collection(operand)):
                name = self.context.string(element)
                if name in catalog.roles().me_types:
                    role = catalog.roles().me_types[name]
                    self.report(
                        ROLE_NAME,
                        element,
                        f"compares the /me type with the v2 role name {name!r}, which never matches in v3.1 "
                        f'(the type is "user"): test {role!r} in the user\'s data.roles',
                        typed.level,
                        f"type == {name!r}",
                        f"{role!r} in roles",
                    )

    def _collection(self, operand):
        """A name bound in this module to a literal set, tuple or list (`STAFF_TYPES`, also
        through `frozenset({...})`): that literal, so its role names are reported where written."""
        if not isinstance(operand, (cst.Name, cst.Attribute)):
            return operand
        bound = self.context.resolver.binding_of(operand, self.scope)
        if bound is None or bound[1].module is not self.context.module:
            return operand
        node = bound[0]
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.args:
            if node.func.value in ("frozenset", "set", "tuple", "list"):
                node = node.args[0].value
        return node if isinstance(node, (cst.Tuple, cst.List, cst.Set)) else operand

    # -- multi-role --------------------------------------------------------------------------------
    def visit_If(self, node: cst.If) -> None:
        if id(node) in self.chains_seen:
            return
        branches = 0
        current = node
        level = None
        while isinstance(current, cst.If):
            self.chains_seen.add(id(current))
            typed = self._compares_type(current.test)
            if typed is not None:
                branches += 1
                level = typed.level
            current = current.orelse if isinstance(current.orelse, cst.If) else None
        if branches >= 2 and level is not None:
            self.report(
                SINGLE_ROLE,
                node.test,
                "branches on a single role value: a v3 user can hold several roles (teacher and staff, say); "
                "decide how multi-role users are served (one account or one per role) "
                "and test membership in data.roles",
                level,
            )

    def visit_Match(self, node: cst.Match) -> None:
        typed = self._is_type(node.subject)
        if typed is not None and len(node.cases) >= 2:
            self.report(
                SINGLE_ROLE,
                node.subject,
                "matches on a single role value: a v3 user can hold several roles; test membership in data.roles",
                typed.level,
            )

    def _compares_type(self, test) -> Optional[Value]:
        if isinstance(test, cst.Comparison):
            for operand in [test.left] + [c.comparator for c in test.comparisons]:
                typed = self._is_type(operand)
                if typed is not None:
                    return typed
        if isinstance(test, cst.BooleanOperation):
            return self._compares_type(test.left) or self._compares_type(test.right)
        return None

    def _first_role(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Name) and func.value == "next" and node.args:
            inner = node.args[0].value
            if (
                isinstance(inner, cst.Call)
                and isinstance(inner.func, cst.Name)
                and inner.func.value == "iter"
                and inner.args
            ):
                if _is_roles(inner.args[0].value, self._bound_here):
                    self._report_first_role(node)

    def leave_Subscript(self, original_node: cst.Subscript) -> None:
        index = original_node.slice[0].slice if len(original_node.slice) == 1 else None
        if not (isinstance(index, cst.Index) and isinstance(index.value, cst.Integer) and index.value.value == "0"):
            return
        inner = original_node.value
        if isinstance(inner, cst.Name):
            # kinds = list(user["roles"].keys()) ... kinds[0]: the two-step form
            inner = self._bound_here(inner) or inner
        if (
            isinstance(inner, cst.Call)
            and isinstance(inner.func, cst.Name)
            and inner.func.value in ("list", "tuple", "sorted")
        ):
            if inner.args and _is_roles(inner.args[0].value, self._bound_here):
                self._report_first_role(original_node)

    def _bound_here(self, name: cst.Name) -> Optional[cst.BaseExpression]:
        """The expression `name` is bound to in the scope being visited (not one around it)."""
        bound = self.context.resolver.binding_of(name, self.scope)
        return bound[0] if bound is not None and bound[1] is self.scope else None

    def _report_first_role(self, node) -> None:
        self.report(
            SINGLE_ROLE,
            node,
            "takes the first role of a user: a v3 user can hold several (teacher and staff, say); "
            "handle every key of roles, or decide which one wins, explicitly",
            Confidence.HIGH,
        )

    # -- one role stored in one field --------------------------------------------------------------
    def visit_Arg(self, node: cst.Arg) -> None:
        keyword = node.keyword.value if node.keyword is not None else ""
        if "role" in keyword or keyword in ("type", "user_type"):
            self._stored_role(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            found = reads(target.target)
            if found is not None and ("role" in found[1] or found[1] in ("user_type",)):
                self._stored_role(node.value)

    def _stored_role(self, value) -> None:
        typed = self._is_type(value)
        if typed is not None:
            self.report(
                SINGLE_ROLE,
                value,
                'stores one role per user from the /me type: in v3.1 the type is "user" and a user can hold '
                "several roles; store the keys of data.roles (or decide the account model explicitly)",
                typed.level,
            )


TYPE_NAMES = frozenset({"type", "user_type", "usertype", "account_type", "clever_type", "me_type"})
# what a type read by one of those names is, where the module's own evidence says /me
NAMED_ME_TYPE = Value(ValueKind.ME_TYPE, Confidence.MEDIUM, endpoint="/me")


def _type_named(node) -> bool:
    """`x["type"]`, `x.type`, `x.get("type")`, `user_type`, `self.user_type`."""
    found = reads(node)
    name = found[1] if found is not None else node.value if isinstance(node, cst.Name) else None
    return isinstance(name, str) and name.lower() in TYPE_NAMES


def me_module(context: ModuleContext) -> bool:
    """Whether this module's own code requests Clever's /me (on a Clever host or a v1/v2 path),
    or talks to Clever in a project that does: where a role `type` comes from."""
    if "me_module" not in context.cache:
        found = False
        for evaluation in context.evaluations():
            analysis = evaluation.analysis
            endpoint = analysis.endpoint
            if endpoint is not None and endpoint.v2 == "/me" and (analysis.is_clever_host or analysis.old_version):
                found = True
                break
        context.cache["me_module"] = found or (Origin.ME in context.origins and context.clever())
    return bool(context.cache["me_module"])


def _plural_hole(template, index: int) -> bool:
    """The hole at `index` is followed by the plural `s` of a role path (`%ss/%s`, `type + "s/"`)."""
    following = template.parts[index + 1] if index + 1 < len(template.parts) else None
    return isinstance(following, Lit) and (following.text == "s" or following.text.startswith("s/"))


def _path_from_type(context: ModuleContext) -> List[NodeFinding]:
    out = []
    flow = context.flow()
    for evaluation in context.evaluations():
        template = evaluation.template
        for index, part in enumerate(template.parts):
            if isinstance(part, Hole) and part.origin is not None:
                value = flow.value(part.origin[0], part.origin[1])
                if (
                    value is None
                    and (evaluation.analysis.old_version or evaluation.analysis.version is None)
                    and _plural_hole(template, index)
                    and _type_named(part.origin[0])
                ):
                    # on v3 the type is "user" and `%ss` makes /users: only a v1/v2 (or unversioned) path
                    value = NAMED_ME_TYPE if me_module(context) else None
                if value is not None and value.kind is ValueKind.ME_TYPE:
                    v3 = _users_path(template, index)
                    out.append(
                        NodeFinding(
                            PATH_FROM_TYPE,
                            evaluation.root.node,
                            "builds a v2 role path from the /me type (teacher -> /teachers/...): in v3.1 every "
                            f"user is {v3}, whatever the roles",
                            value.level,
                            template.display(),
                            v3,
                        )
                    )
                    break
    return out


def _users_path(template, index: int) -> str:
    """The v3.1 path of a role path built from the /me type at part `index`: `/{type}s/{id}/
    sections` is /v3.1/users/{id}/sections (the plural `s` after the type goes with it)."""
    rest = Template(template.parts[index + 1 :]).flat
    rest = rest[1:] if rest.startswith("s") else rest
    rest = rest.split("?", 1)[0].replace(HOLE, "{id}")
    return (
        f"/{catalog.TARGET_VERSION}/users{rest}" if rest.startswith("/") else f"/{catalog.TARGET_VERSION}/users/{{id}}"
    )


def applies(context: ModuleContext) -> bool:
    """Role reads need a /me response somewhere in the project; first-role picks need `roles`."""
    return Origin.ME in context.origins or b"roles" in context.module.source


def visitor(context: ModuleContext) -> "_IdentityVisitor":
    return _IdentityVisitor(context)


def finish(context: ModuleContext, visitor: "_IdentityVisitor") -> List[NodeFinding]:
    if Origin.ME not in context.origins:
        return visitor.found
    return visitor.found + _path_from_type(context)


# the checks of this family that walk a module (linter.rules.registry collects them)
NODE_CHECKS = ((applies, visitor, finish),)
