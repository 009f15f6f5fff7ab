"""Modules of the scanned project: parsing, scopes, and the string expressions worth resolving.

A `Project` parses each module at most once, lazily: the files being checked, and the modules
they import constants from (found relative to the importing file, never imported or run).
Each parsed module gets a scope tree (module, classes, functions) holding what the resolver
needs to read constants: assignments, parameters with defaults, `self.x = ...` attributes of
classes, and imports. It also records the *root* string expressions of the module (those not
part of a larger string expression) and the calls that receive strings, for the rules.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

from linter.syntax.walk import walk

# Calls whose result is built from their string arguments: their arguments are not roots.
STRING_METHODS = frozenset({"format", "rstrip", "lstrip", "strip", "join"})
JOIN_FUNCTIONS = frozenset({"urljoin", "join"})
# Calls whose string arguments are the application's own routes, never Clever endpoints:
# Django's path()/re_path()/url() as plain calls, route registration methods, and redirects.
ROUTE_FUNCTIONS = frozenset({"path", "re_path", "url"})
ROUTE_METHODS = frozenset(
    {"route", "add_url_rule", "add_resource", "add_api_route", "add_route", "add_api_websocket_route"}
)
REDIRECTS = frozenset(
    {"redirect", "HttpResponseRedirect", "HttpResponsePermanentRedirect", "RedirectResponse", "url_for", "reverse"}
)

# Parameters that may be bound without a simple assignment; a name with such a binding in a
# function is not resolved from an outer scope.
UNKNOWN = None


@dataclass
class ImportRef:
    module: str  # dotted, without the leading dots of a relative import
    level: int  # number of leading dots
    name: Optional[str]  # the imported attribute (from-import), or None for `import a.b`


@dataclass(eq=False)
class Scope:
    kind: str  # "module", "class" or "function"
    node: cst.CSTNode
    module: "ModuleInfo"
    parent: Optional["Scope"]
    name: str = ""
    # name -> list of (value expression, scope to evaluate it in); UNKNOWN marks a binding
    # the resolver cannot follow (loop target, tuple unpacking, augmented assignment, ...)
    assigns: Dict[str, List[Optional[Tuple[cst.BaseExpression, "Scope"]]]] = field(
        default_factory=dict
    )
    imports: Dict[str, ImportRef] = field(default_factory=dict)
    params: Dict[str, cst.Param] = field(default_factory=dict)
    param_order: List[str] = field(default_factory=list)
    self_name: Optional[str] = None  # first parameter of a method
    class_scope: Optional["Scope"] = None  # the class a method belongs to
    self_attrs: Dict[str, List[Tuple[cst.BaseExpression, "Scope"]]] = field(
        default_factory=dict
    )  # class: self.<name> = value, from its methods
    bases: List[cst.BaseExpression] = field(default_factory=list)
    classes: Dict[str, "Scope"] = field(default_factory=dict)
    functions: Dict[str, "Scope"] = field(default_factory=dict)
    # for the data-flow rules: loop variables and what they iterate over, returned values
    loops: Dict[str, List[Tuple[cst.BaseExpression, "Scope"]]] = field(default_factory=dict)
    returns: List[cst.BaseExpression] = field(default_factory=list)

    def bind(self, name: str, value: Optional[Tuple[cst.BaseExpression, "Scope"]]) -> None:
        self.assigns.setdefault(name, []).append(value)

    def enclosing_method(self) -> Optional["Scope"]:
        """The method this scope is (or is nested in), up to the nearest class body."""
        current: Optional[Scope] = self
        while current is not None:
            if current.kind == "function" and current.class_scope is not None:
                return current
            if current.kind == "class":
                return None
            current = current.parent
        return None


@dataclass(eq=False)
class Root:
    """A string expression that is not part of a larger one."""

    node: cst.BaseExpression
    scope: Scope
    assigned: bool  # it is the whole value of an assignment or a parameter default
    call: Optional[cst.Call] = None  # the call it is an argument of, if any


@dataclass(eq=False)
class CallSite:
    node: cst.Call
    scope: Scope
    callee: str  # the called name: `get` for `self.client.get(...)`
    receiver: Optional[cst.BaseExpression]


def _syntax_error(source: bytes, exc: "cst.ParserSyntaxError") -> "ParseError":
    """LibCST's own message lists every token it expected; Python's compiler says it better
    (and knows Python 2 `print`), so ask it where it agrees that the file is invalid."""
    try:
        ast.parse(source)
    except SyntaxError as error:
        text = (error.msg or "invalid syntax").strip()
        return ParseError(text, error.lineno or 1, max(error.offset or 1, 1))
    except (ValueError, RecursionError, MemoryError):
        pass
    message = exc.message.split(": expected", 1)[0]
    return ParseError(message, exc.raw_line, exc.raw_column + 1)


def deep(function, *args):
    """Call `function`; if it recurses too deeply (a 5,000-term `+` chain, hundreds of nested
    parentheses: LibCST's visitors recurse once per node level), call it again in a thread
    with a large stack and a high recursion limit. A RecursionError that still escapes is the
    caller's to report."""
    import sys
    import threading

    try:
        return function(*args)
    except RecursionError:
        pass
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            outcome["error"] = exc

    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size()
    try:
        threading.stack_size(512 * 1024 * 1024)
        sys.setrecursionlimit(max(old_limit, 120_000))
        worker = threading.Thread(target=run, name="clever-upgrade-deep")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


class ParseError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def callee_name(func: cst.BaseExpression) -> Tuple[str, Optional[cst.BaseExpression]]:
    """(the called name, its receiver): ("get", `self.client`) for `self.client.get(...)`."""
    if isinstance(func, cst.Name):
        return func.value, None
    if isinstance(func, cst.Attribute):
        return func.attr.value, func.value
    return "", None


def is_combining_call(call: cst.Call) -> bool:
    name, receiver = callee_name(call.func)
    if receiver is not None and name in STRING_METHODS:
        return True
    return name in JOIN_FUNCTIONS or (name == "str" and receiver is None)


_CANDIDATES = frozenset((
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
    cst.BinaryOperation,
    cst.Call,
))
_STRINGS = frozenset((cst.SimpleString, cst.FormattedString))
_SCOPES = frozenset((cst.ClassDef, cst.FunctionDef, cst.Lambda))
_INTERESTING = _CANDIDATES | _SCOPES | frozenset((
    cst.Assign, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.Return, cst.Yield,
    cst.AsName, cst.NamedExpr, cst.Import, cst.ImportFrom,
))


class _Collector(cst.CSTVisitor):
    def __init__(self, info: "ModuleInfo"):
        super().__init__()
        self.info = info
        self.stack: List[cst.CSTNode] = []
        self.scopes: List[Scope] = [info.scope]
        self.in_fstring = 0

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
            child = Scope("class", node, self.info, scope, name=node.name.value)
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
        child = Scope("function", node, self.info, scope, name=name)
        params = node.params
        ordered = list(params.posonly_params) + list(params.params)
        for param in ordered + list(params.kwonly_params):
            child.params[param.name.value] = param
        child.param_order = [p.name.value for p in ordered]
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                child.params[star.name.value] = star
        if scope.kind == "class" and ordered and isinstance(node, cst.FunctionDef):
            is_static = any(
                isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod"
                for d in node.decorators
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
        elif kind is cst.AsName:
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
        if kind is cst.Call and not is_combining_call(node):
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
                method.kind == "function"
                and method.class_scope is not None
                and target.value.value == method.self_name
                and value is not None
            ):
                method.class_scope.self_attrs.setdefault(target.attr.value, []).append(
                    (value, method)
                )
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
        if isinstance(node, cst.BinaryOperation) and not isinstance(
            node.operator, (cst.Add, cst.Modulo)
        ):
            return
        if isinstance(node, cst.Call) and not is_combining_call(node):
            return
        if isinstance(node, cst.SimpleString) and "b" in node.prefix.lower():
            return
        stack = self.stack
        parent = stack[-2] if len(stack) > 1 else None
        grand = stack[-3] if len(stack) > 2 else None
        great = stack[-4] if len(stack) > 3 else None
        if isinstance(parent, cst.BinaryOperation) and isinstance(
            parent.operator, (cst.Add, cst.Modulo)
        ):
            return
        if isinstance(parent, (cst.ConcatenatedString, cst.FormattedStringExpression)):
            return
        if isinstance(parent, cst.Attribute) and isinstance(grand, cst.Call):
            if grand.func is parent and is_combining_call(grand):
                return
        if isinstance(parent, cst.Arg) and isinstance(grand, cst.Call) and is_combining_call(grand):
            return
        if isinstance(parent, cst.Element) and isinstance(grand, (cst.List, cst.Tuple)):
            if isinstance(great, cst.Arg) and len(stack) > 4:
                call = stack[-5]
                if isinstance(call, cst.Call) and is_combining_call(call):
                    return
            if isinstance(great, cst.BinaryOperation) and isinstance(great.operator, cst.Modulo):
                return
        if isinstance(parent, cst.DictElement) and isinstance(great, cst.BinaryOperation):
            if isinstance(great.operator, cst.Modulo):
                return
        if self._excluded():
            return
        assigned = isinstance(parent, (cst.Assign, cst.AnnAssign, cst.Param))
        call = grand if isinstance(parent, cst.Arg) and isinstance(grand, cst.Call) else None
        self.info.roots.append(Root(node, scope, assigned, call))

    def _excluded(self) -> bool:
        """Docstrings, decorators (route declarations) and the app's own URL routes."""
        stack = self.stack
        if len(stack) > 1 and isinstance(stack[-2], cst.Expr):
            return True  # a bare string statement: a docstring or a comment-like string
        for ancestor in reversed(stack[:-1]):
            if isinstance(ancestor, cst.Decorator):
                return True
            if isinstance(ancestor, cst.Call):
                name, receiver = callee_name(ancestor.func)
                if receiver is None and name in ROUTE_FUNCTIONS:
                    return True
                if receiver is not None and name in ROUTE_METHODS:
                    return True
                if name in REDIRECTS:
                    return True
            if isinstance(ancestor, (cst.FunctionDef, cst.ClassDef, cst.SimpleStatementLine)):
                break
        return False


def dotted_name(node: cst.CSTNode) -> str:
    """`a.b.c` for a Name or an Attribute chain of names; "" for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        inner = dotted_name(node.value)
        return f"{inner}.{node.attr.value}" if inner else ""
    return ""


class ModuleInfo:
    """One parsed module and what the collector found in it."""

    def __init__(self, path: Path, display: str, source: bytes):
        self.path = path
        self.display = display
        self.source = source
        self.module: Optional[cst.Module] = None
        self.error: Optional[ParseError] = None
        self.roots: List[Root] = []
        self.calls: List[CallSite] = []
        self.def_scopes: Dict[int, Scope] = {}  # id of a ClassDef/FunctionDef/Lambda -> its scope
        self.strings: List[cst.CSTNode] = []  # top-level string literals, in source order
        self._string_positions: Optional[Dict[int, tuple]] = None
        # x["key"] = value anywhere in the module: key -> [(value, scope)]
        self.subscript_stores: Dict[str, List[Tuple[cst.BaseExpression, Scope]]] = {}
        self._positions = None
        self.scope = Scope("module", cst.Module(body=()), self, None)
        try:
            self.module = cst.parse_module(source)
        except cst.ParserSyntaxError as exc:
            self.error = _syntax_error(source, exc)
        except (RecursionError, MemoryError):
            self.error = ParseError("the file is nested too deeply to parse", 1, 1)
        except Exception as exc:  # libcst raises a few other errors on odd input
            self.error = ParseError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 1, 1)
        if self.module is not None:
            self.scope.node = self.module
            try:
                deep(self._collect)
            except RecursionError:
                self.error = ParseError("the file is nested too deeply to analyse", 1, 1)
                self.roots, self.calls = [], []

    def imports_package(self, package: str) -> bool:
        """Whether the module imports `package` (or a submodule of it) at its top level."""
        return any(ref.module.split(".")[0] == package and not ref.level for ref in self.scope.imports.values())

    def _collect(self) -> None:
        self.roots, self.calls, self.strings = [], [], []
        self.scope = Scope("module", self.module, self, None)
        self.def_scopes, self.subscript_stores = {}, {}
        walk(self.module, _Collector(self))

    def string_position(self, node: cst.CSTNode) -> Optional[tuple]:
        """(line, column, end_line, end_column) of a top-level string literal, from Python's
        tokenizer: computing LibCST's positions for a whole large module costs far more."""
        if self._string_positions is None:
            self._string_positions = _string_tokens(self)
        return self._string_positions.get(id(node))

    def position(self, node: cst.CSTNode):
        found = self.string_position(node) if isinstance(node, (cst.SimpleString, cst.FormattedString)) else None
        if found is not None:
            return CodeRange(CodePosition(found[0], found[1]), CodePosition(found[2], found[3]))
        if self._positions is None:
            assert self.module is not None
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._positions = deep(wrapper.resolve, PositionProvider)
        return self._positions[node]


def _string_tokens(info: "ModuleInfo") -> Dict[int, tuple]:
    """Map the module's top-level string nodes to the positions of the matching tokens; empty
    (so LibCST's own positions are used) if the two do not line up."""
    import io
    import tokenize

    try:
        assert info.module is not None
        text = info.source.decode(info.module.encoding)
        spans = []
        depth = 0
        start = None
        fstring_start = getattr(tokenize, "FSTRING_START", None)
        fstring_end = getattr(tokenize, "FSTRING_END", None)
        for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            if fstring_start is not None and token.type == fstring_start:
                if depth == 0:
                    start = token.start
                depth += 1
            elif fstring_end is not None and token.type == fstring_end:
                depth -= 1
                if depth == 0:
                    spans.append((start[0], start[1], token.end[0], token.end[1]))
            elif token.type == tokenize.STRING and depth == 0:
                spans.append((token.start[0], token.start[1], token.end[0], token.end[1]))
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, AssertionError):
        return {}
    if len(spans) != len(info.strings):
        return {}
    return {id(node): span for node, span in zip(info.strings, spans)}


class Project:
    """Finds and parses the modules of the scanned project, each at most once."""

    def __init__(self, roots: Sequence[Path] = ()):
        self.roots = [r.resolve() for r in roots]
        self._by_path: Dict[Path, Optional[ModuleInfo]] = {}
        self._found: Dict[Tuple[Path, str, int], Optional[Path]] = {}
        self._settings: Dict[Path, Optional[Path]] = {}

    def load(self, path: Path, display: Optional[str] = None, source: Optional[bytes] = None):
        """The parsed module at `path` (None if it cannot be read, or is an imported module too
        large to parse for its constants)."""
        from linter.source.files import MAX_PARSE_BYTES

        key = path.resolve()
        if key not in self._by_path or source is not None:
            if source is None:
                try:
                    if key.stat().st_size > MAX_PARSE_BYTES:
                        self._by_path[key] = None
                        return None
                    source = key.read_bytes()
                except OSError:
                    self._by_path[key] = None
                    return None
            self._by_path[key] = ModuleInfo(key, display or str(path), source)
        return self._by_path[key]

    def loaded(self, path: Path) -> Optional[ModuleInfo]:
        """The module already parsed for `path`, if any (nothing is read)."""
        return self._by_path.get(path.resolve())

    def _search_dirs(self, importer: ModuleInfo) -> Iterable[Path]:
        directory = importer.path.parent
        seen = set()
        while True:
            if directory not in seen:
                seen.add(directory)
                yield directory
            inside = any(_is_relative_to(directory, root) and directory != root for root in self.roots)
            if not inside or directory.parent == directory:
                break
            directory = directory.parent
        cwd = Path(os.getcwd()).resolve()
        if cwd not in seen:
            yield cwd

    def find_module(self, importer: ModuleInfo, dotted: str, level: int) -> Optional[ModuleInfo]:
        """The project module `dotted` (with `level` leading dots) as imported from
        `importer`, parsed; None when it is not a file of the project (a third-party or
        standard-library module, which is never read)."""
        key = (importer.path.parent, dotted, level)
        if key not in self._found:
            self._found[key] = self._find_file(importer, dotted, level)
        path = self._found[key]
        if path is None:
            return None
        info = self.load(path)
        return info if info is not None and info.module is not None else None

    def django_settings(self, importer: ModuleInfo) -> Optional[ModuleInfo]:
        """The settings module a Django project's `from django.conf import settings` reads:
        the nearest `settings.py` (or `settings/__init__.py`) in the importer's directory or
        above, or one level below one of them (the project package beside the apps)."""
        for directory in self._search_dirs(importer):
            if directory not in self._settings:
                candidates = [directory / "settings.py", directory / "settings" / "__init__.py"]
                candidates += sorted(directory.glob("*/settings.py")) + sorted(directory.glob("*/settings/__init__.py"))
                self._settings[directory] = next((c for c in candidates if c.is_file()), None)
            path = self._settings[directory]
            if path is not None:
                info = self.load(path)
                if info is not None and info.module is not None:
                    return info
        return None

    def _find_file(self, importer: ModuleInfo, dotted: str, level: int) -> Optional[Path]:
        parts = [p for p in dotted.split(".") if p]
        if level:
            base = importer.path.parent
            for _ in range(level - 1):
                base = base.parent
            candidates = [base]
        else:
            if not parts:
                return None
            candidates = list(self._search_dirs(importer))
        for base in candidates:
            target = base.joinpath(*parts)
            for path in (target.with_name(target.name + ".py") if parts else None, target / "__init__.py"):
                if path is not None and path.is_file():
                    return path
        return None


def _is_relative_to(path: Path, other: Path) -> bool:
    try:
        path.relative_to(other)
        return True
    except ValueError:
        return False
