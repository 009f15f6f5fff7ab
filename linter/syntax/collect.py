"""The one walk over a parsed module that builds its scopes (linter.syntax.scope) and finds its
root string expressions, calls and top-level strings."""

from __future__ import annotations

from typing import TYPE_CHECKING, List

import libcst as cst

from linter import catalog

if TYPE_CHECKING:  # the collector fills a module it is given: a type only
    from linter.syntax.module import ModuleInfo

from linter.syntax.scope import (
    UNKNOWN,
    CallSite,
    ImportRef,
    Root,
    RootUse,
    Scope,
    ScopeKind,
    callee_name,
    dotted_name,
    is_combining_call,
    is_url_division,
)

# Calls whose string arguments are the application's own routes, never Clever endpoints:
# Django's path()/re_path()/url() as plain calls, route registration methods, and redirects.
# (the names: catalog/libraries.yaml)
ROUTE_FUNCTIONS = catalog.libraries().route_functions
ROUTE_METHODS = catalog.libraries().route_methods
REDIRECTS = catalog.libraries().redirects
CLEVER_HOSTS = catalog.CLEVER_HOSTS

_CANDIDATES = frozenset(
    (
        cst.SimpleString,
        cst.ConcatenatedString,
        cst.FormattedString,
        cst.BinaryOperation,
        cst.Call,
    )
)
_STRINGS = frozenset((cst.SimpleString, cst.FormattedString))
_CONTAINERS = frozenset((cst.Element, cst.List, cst.Tuple, cst.Set))
_COMPARISONS = frozenset((cst.Comparison, cst.ComparisonTarget, cst.MatchValue))
# str (and re) methods whose argument is compared or searched for, not requested
STRING_TESTS = catalog.libraries().string_tests
# ... and those that take a string apart or swap pieces of it
STRING_OPERATIONS = catalog.libraries().string_operations
# logging and print: their strings are messages
MESSAGE_CALLS = catalog.libraries().message_calls
_SCOPES = frozenset((cst.ClassDef, cst.FunctionDef, cst.Lambda))
_JOINING_OPERATORS = frozenset((cst.Add, cst.Modulo))  # `+` and `%` build a string from pieces
_SEQUENCES = frozenset((cst.List, cst.Tuple))
_ASSIGNING = frozenset((cst.Assign, cst.AnnAssign, cst.Param))
_STATEMENT_BOUNDS = frozenset((cst.FunctionDef, cst.ClassDef, cst.SimpleStatementLine))
_INTERESTING = (
    _CANDIDATES
    | _SCOPES
    | frozenset(
        (
            cst.Assign,
            cst.AnnAssign,
            cst.AugAssign,
            cst.For,
            cst.CompFor,
            cst.Return,
            cst.Yield,
            cst.AsName,
            cst.WithItem,
            cst.NamedExpr,
            cst.Import,
            cst.ImportFrom,
        )
    )
)


class Collector(cst.CSTVisitor):
    """Fills a ModuleInfo's scopes, roots, calls and strings in one read-only walk."""

    def __init__(self, info: "ModuleInfo"):
        super().__init__()
        self.info = info
        self.stack: List[cst.CSTNode] = []
        self.scopes: List[Scope] = [info.scope]
        self.in_fstring = 0
        module = info.module
        # the module's own top-level functions and classes: a `join` of the project's is not a string join
        self.defined = frozenset(
            statement.name.value
            for statement in (module.body if module is not None else ())
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef))
        )

    # -- traversal bookkeeping ------------------------------------------------------------
    # The walk calls these for every node of the module: they dispatch on the exact node class
    # (LibCST's classes are final; `isinstance` against its abstract classes is slow).
    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        kind = type(node)
        if kind in _STRINGS:
            if not self.in_fstring:
                self.info.strings.append(node)  # top-level string literals, in source order
            if kind is cst.FormattedString:
                self.in_fstring += 1
        if kind not in _INTERESTING:
            return True
        scope = self.scopes[-1]
        if kind is cst.ClassDef:
            child = Scope(ScopeKind.CLASS, node, self.info, scope, name=node.name.value)
            child.bases = [arg.value for arg in node.bases]
            scope.classes[node.name.value] = child
            scope.bind(node.name.value, UNKNOWN)
            self.info.def_scopes[id(node)] = child
            self.scopes.append(child)
        elif kind is cst.FunctionDef or kind is cst.Lambda:
            self._enter_function(node, scope)
        else:
            self._record(node, kind, scope)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()
        kind = type(original_node)
        if kind in _SCOPES:
            self.scopes.pop()
        elif kind is cst.FormattedString:
            self.in_fstring -= 1

    def _enter_function(self, node, scope: Scope) -> None:
        name = node.name.value if isinstance(node, cst.FunctionDef) else "<lambda>"
        child = Scope(ScopeKind.FUNCTION, node, self.info, scope, name=name)
        params = node.params
        ordered = list(params.posonly_params) + list(params.params)
        for param in ordered + list(params.kwonly_params):
            child.params[param.name.value] = param
        child.param_order = [p.name.value for p in ordered]
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                child.params[star.name.value] = star
        if scope.kind is ScopeKind.CLASS and ordered and isinstance(node, cst.FunctionDef):
            is_static = any(
                isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in node.decorators
            )
            if not is_static:
                child.self_name = ordered[0].name.value
                child.param_order = child.param_order[1:]
                child.class_scope = scope
        if isinstance(node, cst.FunctionDef):
            scope.functions[name] = child
            scope.bind(name, UNKNOWN)
        self.info.def_scopes[id(node)] = child
        self.scopes.append(child)

    # -- what the resolver and the rules need ------------------------------------------------
    def _record(self, node: cst.CSTNode, kind: type, scope: Scope) -> None:
        if kind is cst.Assign:
            for target in node.targets:
                self._bind_target(target.target, node.value, scope)
        elif kind is cst.AnnAssign:
            self._bind_target(node.target, node.value, scope)
        elif kind is cst.AugAssign:
            if isinstance(node.operator, cst.AddAssign) and isinstance(node.target, cst.Name):
                # `url += kind`: bound to the statement, which the resolver reads as the value
                # before it plus the text added; a root of its own (the URL it completes)
                scope.bind(node.target.value, (node, scope))
                if not self._excluded():
                    self.info.roots.append(Root(node, scope, True, None, RootUse.URL))
            else:
                self._bind_target(node.target, None, scope)
        elif kind is cst.For or kind is cst.CompFor:
            self._bind_target(node.target, None, scope)
            if isinstance(node.target, cst.Name):
                scope.loops.setdefault(node.target.value, []).append((node.iter, scope))
        elif kind is cst.Return:
            if node.value is not None:
                scope.returns.append(node.value)
        elif kind is cst.Yield:
            if isinstance(node.value, cst.BaseExpression):
                scope.returns.append(node.value)
        elif kind is cst.WithItem:
            if node.asname is not None and isinstance(node.asname.name, cst.Name):
                # with httpx.Client(base_url=BASE) as client: the name holds the context's value
                self._bind_target(node.asname.name, node.item, scope)
        elif kind is cst.AsName:
            parent = self.stack[-2] if len(self.stack) > 1 else None
            if not isinstance(parent, cst.WithItem):
                self._bind_target(node.name, None, scope)
        elif kind is cst.NamedExpr:
            self._bind_target(node.target, node.value, scope)
        elif kind is cst.Import:
            for alias in node.names:
                dotted = dotted_name(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    scope.imports[alias.asname.name.value] = ImportRef(dotted, 0, None)
                else:
                    head = dotted.split(".")[0]
                    scope.imports[head] = ImportRef(head, 0, None)
        elif kind is cst.ImportFrom:
            if isinstance(node.names, cst.ImportStar):
                return
            module = dotted_name(node.module) if node.module is not None else ""
            level = len(node.relative)
            for alias in node.names:
                name = dotted_name(alias.name)
                local = name
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                scope.imports[local] = ImportRef(module, level, name)
        if kind is cst.Call and not is_combining_call(node, self.defined):
            callee, receiver = callee_name(node.func)
            if callee:
                self.info.calls.append(CallSite(node, scope, callee, receiver))
        if kind in _CANDIDATES:
            self._maybe_root(node, scope)

    def _bind_target(self, target, value, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.bind(target.value, (value, scope) if value is not None else UNKNOWN)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            method = scope
            if (
                method.kind is ScopeKind.FUNCTION
                and method.class_scope is not None
                and target.value.value == method.self_name
                and value is not None
            ):
                method.class_scope.self_attrs.setdefault(target.attr.value, []).append((value, method))
        elif isinstance(target, cst.Subscript) and value is not None and len(target.slice) == 1:
            index = target.slice[0].slice
            if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
                key = index.value.evaluated_value
                if isinstance(key, str):
                    self.info.subscript_stores.setdefault(key, []).append((value, scope))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, None, scope)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, None, scope)

    def _maybe_root(self, node: cst.CSTNode, scope: Scope) -> None:
        # the walk meets every string, call and operation here: the checks read exact node
        # classes (LibCST's are final; isinstance goes through their ABC's instance check)
        kind = type(node)
        if kind is cst.BinaryOperation and type(node.operator) not in _JOINING_OPERATORS:
            if not is_url_division(node):
                return
        if kind is cst.Call and not is_combining_call(node, self.defined):
            return
        if kind is cst.SimpleString and "b" in node.prefix.lower():
            return
        stack = self.stack
        parent = stack[-2] if len(stack) > 1 else None
        grand = stack[-3] if len(stack) > 2 else None
        great = stack[-4] if len(stack) > 3 else None
        up = type(parent)
        if up is cst.BinaryOperation and type(parent.operator) in _JOINING_OPERATORS:
            return
        if up is cst.BinaryOperation and is_url_division(parent):
            return
        if up is cst.ConcatenatedString or up is cst.FormattedStringExpression:
            return
        if up is cst.AugAssign and type(parent.operator) is cst.AddAssign and type(parent.target) is cst.Name:
            return  # `url += "/"`: part of the augmented statement's root
        if up is cst.Attribute and type(grand) is cst.Call:
            if grand.func is parent and is_combining_call(grand, self.defined):
                return
        if up is cst.Arg and type(grand) is cst.Call and is_combining_call(grand, self.defined):
            return
        if up is cst.Element and type(grand) in _SEQUENCES:
            if type(great) is cst.Arg and len(stack) > 4:
                call = stack[-5]
                if type(call) is cst.Call and is_combining_call(call, self.defined):
                    return
            if type(great) is cst.BinaryOperation and type(great.operator) is cst.Modulo:
                return
        if up is cst.DictElement and type(great) is cst.BinaryOperation:
            if type(great.operator) is cst.Modulo:
                return
        if self._excluded():
            return
        assigned = up in _ASSIGNING
        call = grand if up is cst.Arg and type(grand) is cst.Call else None
        self.info.roots.append(Root(node, scope, assigned, call, self._use(node)))

    def _use(self, node: cst.CSTNode) -> RootUse:
        """What the code does with the root string `node` (the top of the stack), looking
        through the literal tuple, list or set that holds it."""
        stack = self.stack
        index = len(stack) - 2
        child = node
        while index >= 0 and type(stack[index]) in _CONTAINERS:
            child = stack[index]
            index -= 1
        parent = stack[index] if index >= 0 else None
        kind = type(parent)
        if kind in _COMPARISONS:
            return RootUse.COMPARISON
        if (kind is cst.DictElement and parent.key is child) or kind is cst.Index:
            return RootUse.KEY
        if kind is cst.Attribute and parent.value is child:
            return RootUse.STRING_OP
        if kind is cst.Arg and index > 0 and type(stack[index - 1]) is cst.Call:
            name, receiver = callee_name(stack[index - 1].func)
            if receiver is not None and name in STRING_TESTS:
                return RootUse.COMPARISON
            if receiver is not None and name in STRING_OPERATIONS:
                return RootUse.STRING_OP
            if name in MESSAGE_CALLS or name.endswith(("Error", "Exception", "Warning")):
                return RootUse.MESSAGE
        return RootUse.URL

    def _excluded(self) -> bool:
        """Docstrings, decorators (route declarations) and the app's own URL routes."""
        stack = self.stack
        if len(stack) > 1 and type(stack[-2]) is cst.Expr:
            return True  # a bare string statement: a docstring or a comment-like string
        if _names_clever_host(stack[-1]):
            # the literal floor: a string that itself names a Clever host is judged wherever it
            # stands (a decorator's argument, a redirect), by what it says
            return False
        for ancestor in reversed(stack[:-1]):
            kind = type(ancestor)
            if kind is cst.Decorator:
                # a route declaration (@app.get("/students")), unless the decorator is a
                # function of this module that builds a request (@clever_endpoint("/students"))
                decorator = ancestor.decorator
                own = (
                    type(decorator) is cst.Call
                    and type(decorator.func) is cst.Name
                    and decorator.func.value in self.defined
                )
                return not own
            if kind is cst.Call:
                name, receiver = callee_name(ancestor.func)
                if receiver is None and name in ROUTE_FUNCTIONS:
                    return True
                if receiver is not None and name in ROUTE_METHODS:
                    return True
                if name in REDIRECTS and not _own_method(receiver):
                    return True
            if kind in _STATEMENT_BOUNDS:
                break
        return False


def _own_method(receiver) -> bool:
    """`self.url_for(...)`, `cls.url_for(...)`: the class's own method, not a framework's."""
    return type(receiver) is cst.Name and receiver.value in ("self", "cls")


def _names_clever_host(node: cst.CSTNode) -> bool:
    """A string literal (or f-string) whose own text holds a Clever host."""
    kind = type(node)
    if kind is cst.SimpleString:
        return _holds_clever_host(node.value)
    if kind is cst.FormattedString:
        return any(type(p) is cst.FormattedStringText and _holds_clever_host(p.value) for p in node.parts)
    if kind is cst.ConcatenatedString:
        return _names_clever_host(node.left) or _names_clever_host(node.right)
    return False


def _holds_clever_host(text: str) -> bool:
    lowered = text.lower()
    return any(host in lowered for host in CLEVER_HOSTS)
