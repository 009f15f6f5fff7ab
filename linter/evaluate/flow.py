"""Where a value came from, within one module (and the functions of the checked project it
calls): a Clever /me response, the role `type` read from one, a v2 user record (or list) of
some role, or the ID read from one. Flow-insensitive and conservative: what it cannot follow
has no origin, so a rule built on it stays quiet rather than guess."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import libcst as cst

from linter import catalog
from linter.catalog import EndpointKind
from linter.evaluate.urls import HostKind
from linter.model import HOLE, Confidence
from linter.source.prefilter import MAX_CALLEES  # a method name defined in more places is not followed
from linter.syntax.scope import Scope, argument

MAX_DEPTH = 40

ENVELOPE_KEYS = frozenset({"data", "object"})
ITEM_FUNCTIONS = frozenset({"next", "list", "iter", "sorted", "tuple", "reversed"})


class ValueKind(str, enum.Enum):
    """What a value is, where the flow could tell."""

    ME = "me"  # a Clever /me response
    ME_TYPE = "me_type"  # the role `type` read from one
    USER = "user"  # a v2 user record (or list) of some role
    USER_ID = "user_id"  # the ID read from one


@dataclass(frozen=True)
class Value:
    kind: ValueKind
    level: Confidence
    role: Optional[str] = None  # for "user" and "user_id"
    endpoint: str = ""  # the endpoint it came from ("/me", "/v2.1/teachers", "/v3.1/users?role=teacher")
    v3: bool = False  # it came from a v3.x users endpoint (its IDs are v3 user IDs)

    def derive(self, kind: ValueKind) -> "Value":
        return Value(kind, self.level, self.role, self.endpoint, self.v3)


def returned_role(endpoint) -> Optional[str]:
    """The role of the people a v2 endpoint returns, if it returns people."""
    if endpoint.kind in (EndpointKind.COLLECTION, EndpointKind.RECORD, EndpointKind.NESTED):
        return endpoint.role
    if endpoint.kind is EndpointKind.RELATED:
        return catalog.roles().plural.get(endpoint.segments[-1])  # /students/{id}/teachers: teachers
    return None


class Flow:
    def __init__(self, context, functions: Dict[str, List[Scope]], sdk_module: bool):
        self.context = context
        self.resolver = context.resolver
        self.functions = functions
        self.sdk_module = sdk_module
        self._memo: Dict[int, Optional[Value]] = {}
        self._active: set = set()
        # (id of an expression, key) -> the dict entry it evaluates to: each is looked for once,
        # so a chain of functions that return each other's dicts in many branches costs its size
        self._entries: Dict[Tuple[int, str], Optional[Tuple[cst.BaseExpression, Scope]]] = {}

    def value(self, expr: cst.CSTNode, scope: Scope, depth: int = 0) -> Optional[Value]:
        key = id(expr)
        if key in self._memo:
            return self._memo[key]
        if key in self._active or depth > MAX_DEPTH:
            return None
        self._active.add(key)
        try:
            result = self._value(expr, scope, depth + 1)
        except RecursionError:
            result = None
        finally:
            self._active.discard(key)
        self._memo[key] = result
        return result

    # -- the cases ----------------------------------------------------------------------------
    def _value(self, expr, scope: Scope, depth: int) -> Optional[Value]:
        if isinstance(expr, cst.Call):
            return self._call(expr, scope, depth)
        if isinstance(expr, cst.Subscript):
            return self._subscript(expr, scope, depth)
        if isinstance(expr, cst.Attribute):
            base = self.value(expr.value, scope, depth)
            if base is not None:
                return self.member(base, expr.attr.value)
            return self._bound(expr, scope, depth)
        if isinstance(expr, cst.Name):
            return self._bound(expr, scope, depth) or self._loop(expr.value, scope, depth)
        if isinstance(expr, cst.Await):
            return self.value(expr.expression, scope, depth)
        if isinstance(expr, cst.IfExp):
            return self.value(expr.body, scope, depth) or self.value(expr.orelse, scope, depth)
        if isinstance(expr, cst.BooleanOperation):
            return self.value(expr.left, scope, depth) or self.value(expr.right, scope, depth)
        if isinstance(expr, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
            return self._comprehension(expr, scope, depth)
        return None

    def _comprehension(self, expr, scope: Scope, depth: int) -> Optional[Value]:
        """[item["data"] for item in page["data"]]: the element read from each iterated value."""
        for_in = expr.for_in
        if for_in.inner_for_in is not None or not isinstance(for_in.target, cst.Name):
            return None
        base = self.value(for_in.iter, scope, depth)
        return _read_through(expr.elt, for_in.target.value, base) if base is not None else None

    @staticmethod
    def member(base: Value, key) -> Optional[Value]:
        """What reading `key` (a string, or None for an index) from a value gives."""
        if key is None or key in ENVELOPE_KEYS:
            return base
        if base.kind is ValueKind.ME and key == "type":
            return base.derive(ValueKind.ME_TYPE)
        if base.kind is ValueKind.USER and key == "id":
            return base.derive(ValueKind.USER_ID)
        return None

    def _subscript(self, expr: cst.Subscript, scope: Scope, depth: int) -> Optional[Value]:
        key = subscript_key(expr)
        base = self.value(expr.value, scope, depth)
        if base is not None:
            return self.member(base, key if isinstance(key, str) else None)
        if isinstance(key, str):
            entry = self._dict_entry(expr.value, key, scope, depth)
            if entry is not None:
                return self.value(entry[0], entry[1], depth)
            for stored, store_scope in self.context.module.subscript_stores.get(key, ()):
                found = self.value(stored, store_scope, depth)
                if found is not None:
                    return found
        return None

    def _dict_entry(self, expr, key: str, scope: Scope, depth: int):
        """(value expression, scope) of `key` in the dict literal `expr` evaluates to: a name
        bound to one, or a call of a project function that returns one (`whoami(token)`
        returning `{"kind": data["type"], ...}`). Each (expression, key) is looked for once
        (an expression met again while it is looked for, in a cycle of calls, has none)."""
        if depth > MAX_DEPTH:
            return None
        memo = (id(expr), key)
        if memo in self._entries:
            return self._entries[memo]
        self._entries[memo] = None  # while it is looked for
        found = self._entries[memo] = self._find_entry(expr, key, scope, depth)
        return found

    def _find_entry(self, expr, key: str, scope: Scope, depth: int):
        found = None
        if isinstance(expr, cst.Dict):
            found = (expr, scope)
        elif isinstance(expr, (cst.Name, cst.Attribute)):
            bound = self.resolver.binding_of(expr, scope)
            if bound is not None:
                return self._dict_entry(bound[0], key, bound[1], depth + 1)
        elif isinstance(expr, cst.Call):
            for function in self._callees(expr.func, scope):
                for returned in function.returns:
                    entry = self._dict_entry(returned, key, function, depth + 1)
                    if entry is not None:
                        return entry
        if found is None:
            return None
        for element in found[0].elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                if element.key.evaluated_value == key:
                    return (element.value, found[1])
        return None

    def _bound(self, expr, scope: Scope, depth: int) -> Optional[Value]:
        if isinstance(expr, cst.Name) and expr.value in scope.assigns and len(scope.assigns[expr.value]) > 1:
            latest = self._latest(expr, scope.assigns[expr.value])
            if latest is not None:
                return self.value(latest[0], latest[1], depth)
        bound = self.resolver.binding_of(expr, scope)
        if bound is None:
            if isinstance(expr, cst.Name):
                return self._argument(expr.value, scope, depth)
            return None
        return self.value(bound[0], bound[1], depth)

    def _latest(self, use: cst.Name, bindings) -> Optional[Tuple[cst.BaseExpression, Scope]]:
        """Of a name assigned several times in one function (`record = get(students...)`, then
        `record = get(teachers...)`), the assignment last before the use, in source order."""
        module = self.context.module
        at = module.order_index(use)
        if at is None:
            return None
        before = []
        for binding in bindings:
            if binding is not None and binding[1].module is module:
                where = module.order_index(binding[0])
                if where is None:
                    return None
                if where < at:
                    before.append((where, binding))
        return max(before, key=lambda item: item[0])[1] if before else None

    def _argument(self, name: str, scope: Scope, depth: int) -> Optional[Value]:
        """A parameter without a default takes what the module's calls of its function pass."""
        function = scope.enclosing_function()
        if function is None or name not in function.params or function.params[name].default is not None:
            return None
        order = function.param_order
        index = order.index(name) if name in order else -1
        for call in self.context.module.calls:
            if call.callee != function.name:
                continue
            passed = argument(call.node, name, index)
            found = self.value(passed, call.scope, depth) if passed is not None else None
            if found is not None:
                return found
        return None

    def _loop(self, name: str, scope: Scope, depth: int) -> Optional[Value]:
        for current in scope.chain():
            if name in current.loops:
                for iterable, loop_scope in current.loops[name]:
                    found = self.value(iterable, loop_scope, depth)
                    if found is not None:
                        return found
                return None
            if name in current.assigns or name in current.params:
                return None
        return None

    def _call(self, call: cst.Call, scope: Scope, depth: int) -> Optional[Value]:
        func = call.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method == "json":
                return self.value(func.value, scope, depth)
            if method == "get" and call.args:
                key = self.context.string(call.args[0].value)
                base = self.value(func.value, scope, depth)
                if base is not None and key is not None:
                    return self.member(base, key)
            if self.sdk_module and method in catalog.sdk_methods():
                role = returned_role(catalog.sdk_methods()[method])
                if role is not None:
                    return Value(ValueKind.USER, Confidence.HIGH, role, catalog.sdk_methods()[method].v2)
        if isinstance(func, cst.Name) and func.value in ITEM_FUNCTIONS and call.args:
            return self.value(call.args[0].value, scope, depth)
        requested = self._request(call, scope)
        if requested is not None:
            return requested
        return self._returned(call, scope, depth)

    def _request(self, call: cst.Call, scope: Scope) -> Optional[Value]:
        """A call that is handed a URL of a Clever endpoint returns that endpoint's data."""
        for arg in call.args:
            evaluation = self.context.evaluation_of(arg.value)
            if evaluation is None:
                bound = self.resolver.binding_of(arg.value, scope)
                evaluation = self.context.evaluation_of(bound[0]) if bound else None
            if evaluation is not None and evaluation.analysis.endpoint is None:
                found = _v3_users(evaluation.analysis, call, self.context.clever_of(evaluation.module))
                if found is not None:
                    return found
            if evaluation is None or evaluation.analysis.endpoint is None:
                continue
            analysis = evaluation.analysis
            if analysis.host_kind is HostKind.OTHER:
                continue
            explicit = analysis.is_clever_host or analysis.version is not None
            in_clever_code = self.context.clever_of(evaluation.module)
            level = Confidence.HIGH if explicit else (Confidence.MEDIUM if in_clever_code else None)
            if level is None:
                continue
            endpoint = analysis.endpoint
            if endpoint.v2 == "/me":
                return Value(ValueKind.ME, level, None, analysis.v2_display() or "/me")
            role = returned_role(endpoint)
            if role is not None:
                return Value(ValueKind.USER, level, role, analysis.v2_display() or endpoint.v2)
        return None

    def _returned(self, call: cst.Call, scope: Scope, depth: int) -> Optional[Value]:
        """A call of a function of the project returns what that function returns."""
        for function in self._callees(call.func, scope):
            for returned in function.returns:
                found = self.value(returned, function, depth)
                if found is not None:
                    return found
        return None

    def _callees(self, func, scope: Scope) -> List[Scope]:
        if isinstance(func, cst.Name):
            found = scope.visible_function(func.value) or self._imported_function(func.value, scope)
            return [found] if found is not None else []
        if isinstance(func, cst.Attribute):
            name = func.attr.value
            method = scope.enclosing_method()
            if method is not None and isinstance(func.value, cst.Name) and func.value.value == method.self_name:
                own = method.class_scope.functions.get(name) if method.class_scope is not None else None
                if own is not None:
                    return [own]
            candidates = self.functions.get(name, [])
            # A name defined in many places (`get`, `total`) says nothing about which one runs.
            return candidates if len(candidates) <= MAX_CALLEES else []
        return []

    def _imported_function(self, name: str, scope: Scope) -> Optional[Scope]:
        """`from lms.clever_api import me`: the function of the project module it names."""
        found = self.resolver.imported(name, scope)
        return found[0].scope.functions.get(found[1]) if found is not None else None


_PEOPLE_OF = {"mystudents": "student", "myteachers": "teacher", "mycontacts": "contact"}


def returns_v3_users(analysis) -> bool:
    """A v3.x URL that returns user records (see _v3_users)."""
    return _v3_users(analysis, None, clever=False) is not None


def _v3_users(analysis, call: Optional[cst.Call], clever: bool) -> Optional[Value]:
    """A v3 request that returns users: /users, /users/{id}, /sections/{id}/users,
    /users/{id}/mystudents, ...; the role from `role=` in its query or a literal params dict.
    v2 has no /users at all, so an unversioned path in code that talks to Clever (`clever`)
    is a v3 one too (a helper joins it to the base)."""
    if analysis.host_kind is HostKind.OTHER:
        return None
    if analysis.version is not None:
        if not analysis.version.startswith("v3"):
            return None
    elif not (clever and analysis.leading_slash and not analysis.host):
        return None
    flat = analysis.template.flat
    path, _, query = flat[analysis.path_start :].partition("?")
    segments = path.strip("/").split("/")
    if segments[-1] in _PEOPLE_OF:
        role: Optional[str] = _PEOPLE_OF[segments[-1]]
    elif segments[-1] == "users" or (len(segments) == 2 and segments[0] == "users"):
        role = _role_in(query) or (_role_param(call) if call is not None else None)
    else:
        return None
    version = f"/{analysis.version}" if analysis.version else ""
    shown = f"{version}/{path.strip('/')}".replace(HOLE, "{id}") + (f"?{query}" if query else "")
    return Value(ValueKind.USER, Confidence.HIGH, role, shown.replace(HOLE, "{}"), True)


def _role_in(query: str) -> Optional[str]:
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == "role" and value in catalog.roles().labels:
            return value
    return None


def _role_param(call: cst.Call) -> Optional[str]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "params" and isinstance(arg.value, cst.Dict):
            for element in arg.value.elements:
                if (
                    isinstance(element, cst.DictElement)
                    and isinstance(element.key, cst.SimpleString)
                    and element.key.evaluated_value == "role"
                    and isinstance(element.value, cst.SimpleString)
                    and element.value.evaluated_value in catalog.roles().labels
                ):
                    return element.value.evaluated_value
    return None


def _read_through(expr: cst.BaseExpression, name: str, base: Value) -> Optional[Value]:
    """The value of `expr` when `name` holds `base`: name, name["key"], name.key, chained."""
    if isinstance(expr, cst.Name):
        return base if expr.value == name else None
    if isinstance(expr, cst.Subscript):
        key = subscript_key(expr)
        inner = _read_through(expr.value, name, base)
        return (
            Flow.member(inner, key if isinstance(key, str) else None)
            if inner is not None and key is not False
            else None
        )
    if isinstance(expr, cst.Attribute):
        inner = _read_through(expr.value, name, base)
        return Flow.member(inner, expr.attr.value) if inner is not None else None
    return None


def subscript_key(expr: cst.Subscript):
    """The string key of `x["key"]`, None for any other index, or False for a slice."""
    if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
        return False
    index = expr.slice[0].slice.value
    if isinstance(index, cst.SimpleString):
        value = index.evaluated_value
        return value if isinstance(value, str) else None
    return None


def reads(node: cst.CSTNode) -> Optional[Tuple[cst.BaseExpression, str]]:
    """(base, key) when `node` reads a named member: x["key"], x.key, or x.get("key")."""
    if isinstance(node, cst.Subscript):
        key = subscript_key(node)
        return (node.value, key) if isinstance(key, str) else None
    if isinstance(node, cst.Attribute):
        return node.value, node.attr.value
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get":
        if node.args and isinstance(node.args[0].value, cst.SimpleString):
            key = node.args[0].value.evaluated_value
            if isinstance(key, str):
                return node.func.value, key
    return None
