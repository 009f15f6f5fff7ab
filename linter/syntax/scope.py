"""Scopes of a parsed module (module, class, function) and what the resolver and the rules read
from them: bindings, parameters, imports, `self.x = ...` attributes, loops and returns; the root
string expressions and the calls of a module; small helpers on call nodes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterator, List, Optional, Tuple

import libcst as cst

from linter import catalog

if TYPE_CHECKING:  # the module holds its scopes: a type only, no import cycle
    from linter.syntax.module import ModuleInfo

STRING_METHODS = frozenset(
    {"format", "format_map", "rstrip", "lstrip", "strip", "join", "substitute", "safe_substitute", "replace", "decode"}
)
# string.Template("$base/x") is built to be substituted: its literal is part of the whole
# the functions and classes that build a URL from their arguments (catalog/libraries.yaml), and
# the URL objects among them, whose `/` operator appends a path segment (yarl, furl, starlette)
URL_CLASSES = catalog.libraries().builders_of("wrap")
JOIN_FUNCTIONS = frozenset(catalog.libraries().builders) - URL_CLASSES

# Parameters that may be bound without a simple assignment; a name with such a binding in a
# function is not resolved from an outer scope.
UNKNOWN = None


class ScopeKind(str, enum.Enum):
    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"


@dataclass
class ImportRef:
    module: str  # dotted, without the leading dots of a relative import
    level: int  # number of leading dots
    name: Optional[str]  # the imported attribute (from-import), or None for `import a.b`


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    node: cst.CSTNode
    module: "ModuleInfo"
    parent: Optional["Scope"]
    name: str = ""
    # name -> list of (value expression, scope to evaluate it in); UNKNOWN marks a binding
    # the resolver cannot follow (loop target, tuple unpacking, augmented assignment, ...)
    assigns: Dict[str, List[Optional[Tuple[cst.BaseExpression, "Scope"]]]] = field(default_factory=dict)
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

    def chain(self) -> Iterator["Scope"]:
        """This scope and the scopes around it, innermost first, up to the module."""
        current: Optional[Scope] = self
        while current is not None:
            yield current
            current = current.parent

    def enclosing_function(self) -> Optional["Scope"]:
        """The function this scope is (or is nested in), if any."""
        return next((s for s in self.chain() if s.kind is ScopeKind.FUNCTION), None)

    def enclosing_method(self) -> Optional["Scope"]:
        """The method this scope is (or is nested in), up to the nearest class body."""
        for current in self.chain():
            if current.kind is ScopeKind.FUNCTION and current.class_scope is not None:
                return current
            if current.kind is ScopeKind.CLASS:
                return None
        return None

    def visible_function(self, name: str) -> Optional["Scope"]:
        """The function `name` defined in this scope or one around it (what a call of the
        bare name runs)."""
        return next((s.functions[name] for s in self.chain() if name in s.functions), None)

    def module_scope(self) -> "Scope":
        *_, last = self.chain()
        return last


class RootUse(str, enum.Enum):
    """What the code does with a root string: only a URL use may be rewritten."""

    URL = "url"  # assigned, passed to a call, returned: it may be requested
    COMPARISON = "comparison"  # compared, tested for membership, startswith(), match/case
    KEY = "key"  # a dict key or a subscript index
    STRING_OP = "string operation"  # the receiver of a string method (.replace(), .split(), ...)
    MESSAGE = "message"  # a log, print or exception message


@dataclass(eq=False)
class Root:
    """A string expression that is not part of a larger one."""

    node: cst.BaseExpression
    scope: Scope
    assigned: bool  # it is the whole value of an assignment or a parameter default
    call: Optional[cst.Call] = None  # the call it is an argument of, if any
    use: RootUse = RootUse.URL


@dataclass(eq=False)
class CallSite:
    node: cst.Call
    scope: Scope
    callee: str  # the called name: `get` for `self.client.get(...)`
    receiver: Optional[cst.BaseExpression]


def callee_name(func: cst.BaseExpression) -> Tuple[str, Optional[cst.BaseExpression]]:
    """(the called name, its receiver): ("get", `self.client`) for `self.client.get(...)`."""
    if isinstance(func, cst.Name):
        return func.value, None
    if isinstance(func, cst.Attribute):
        return func.attr.value, func.value
    return "", None


def is_combining_call(call: cst.Call, defined: FrozenSet[str] = frozenset()) -> bool:
    """A call that builds a string from its arguments (`"/".join(...)`, `urljoin(...)`,
    `.format(...)`). `defined`: names the module defines itself; a function of the project
    called `join` (or a method on `self`) is the project's, not a string operation."""
    name, receiver = callee_name(call.func)
    if name == "replace" and not (call.args and isinstance(call.args[0].value, cst.SimpleString)):
        return False  # url.replace(kind, "students"): a swap, each value its own URL (evaluate.variants)
    if receiver is not None and name in STRING_METHODS:
        return not (isinstance(receiver, cst.Name) and receiver.value in ("self", "cls"))
    if receiver is None and name in defined:
        return False
    return name in JOIN_FUNCTIONS or (name == "str" and receiver is None)


def is_url_division(node: cst.CSTNode) -> bool:
    """`URL(base) / "students"` (a chain of them): a URL object's `/` appends a segment."""
    while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        node = node.left
    return isinstance(node, cst.Call) and callee_name(node.func)[0] in URL_CLASSES


def dotted_name(node: cst.CSTNode) -> str:
    """`a.b.c` for a Name or an Attribute chain of names; "" for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        inner = dotted_name(node.value)
        return f"{inner}.{node.attr.value}" if inner else ""
    return ""


def argument(call: cst.Call, name: str, index: int) -> Optional[cst.BaseExpression]:
    """The expression a call passes for the parameter `name`, which is positional parameter
    `index` (-1: keyword only); None when the call does not pass it (or passes *args)."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    if 0 <= index < len(positional):
        return positional[index].value
    return None
