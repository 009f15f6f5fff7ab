"""What a rule that reads the syntax tree of one module gets (ModuleContext, ScopedVisitor),
and what it gives back (NodeFinding)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

import libcst as cst

from linter.evaluate.resolve import Resolver, evaluate_simple_string
from linter.evaluate.sdk import SdkUse, v2_sdk
from linter.model import Confidence, Severity
from linter.rules.base import Rule
from linter.syntax.module import ModuleInfo
from linter.syntax.scope import Scope


class Origin(str, enum.Enum):
    """What the checked project holds that the data-flow rules start from; without any, those
    rules cannot find anything and are skipped."""

    ME = "me"  # a /me URL
    USER = "user"  # a v2 endpoint returning people
    SDK = "sdk"  # a use of the v2 clever-python SDK


def speak_for(templates: Iterable[object]) -> None:
    """Mark the literals whose text a node rule's finding is made of (`KINDS = ("students",)`
    read by `getattr(api, f"get_{kind}")`): their use is seen, the literal floor says nothing
    more of them (linter.analysis.modules)."""
    for template in templates:
        for part in getattr(template, "parts", ()):
            source = getattr(part, "source", None)
            if source is not None:
                source.module.derived.setdefault("spoken_for", set()).add(id(source.node))  # type: ignore[union-attr]


def spoken_for(module: ModuleInfo) -> Set[int]:
    """The ids of the module's literals a node rule's finding is made of (speak_for)."""
    return module.derived.get("spoken_for", set())  # type: ignore[return-value]


@dataclass(frozen=True)
class NodeFinding:
    """A finding at one node of the module (its whole source range)."""

    rule: Rule
    node: cst.CSTNode
    message: str
    confidence: Confidence
    v2: Optional[str] = None
    v3: Optional[str] = None
    severity: Optional[Severity] = None
    rewrite: Optional[Tuple[cst.CSTNode, str]] = None  # (node, its v3.1 source text), if expressible


@dataclass(eq=False)
class ModuleContext:
    module: ModuleInfo
    resolver: Resolver
    evaluation_of: Callable[[cst.CSTNode], object]  # the URL evaluation of a root string, or None
    clever_of: Callable[[ModuleInfo], bool]  # whether a checked module demonstrably talks to Clever
    functions: Dict[str, List[Scope]] = field(default_factory=dict)  # of every checked module, by name
    origins: FrozenSet[Origin] = frozenset()  # of the whole checked project
    cache: Dict[str, object] = field(default_factory=dict)

    def clever(self) -> bool:
        """Whether this module demonstrably talks to Clever."""
        return self.clever_of(self.module)

    def sdk(self) -> Optional[SdkUse]:
        """What this module uses of the v2 clever-python SDK (linter.evaluate.sdk), or None."""
        return v2_sdk(self.module, self.resolver.project)

    def flow(self):
        """The data-flow reading of this module (linter.evaluate.flow), built once and shared."""
        if "flow" not in self.cache:
            from linter.evaluate.flow import Flow

            self.cache["flow"] = Flow(self, self.functions, self.sdk() is not None)
        return self.cache["flow"]

    def evaluations(self) -> List[object]:
        """The URL evaluations of the module's root strings."""
        found = (self.evaluation_of(root.node) for root in self.module.roots)
        return [e for e in found if e is not None]

    def string(self, node: cst.CSTNode) -> Optional[str]:
        """The value of a plain string literal node, else None."""
        if isinstance(node, cst.SimpleString):
            return evaluate_simple_string(node)
        if isinstance(node, cst.ConcatenatedString):
            left, right = self.string(node.left), self.string(node.right)
            return left + right if left is not None and right is not None else None
        return None


def string_elements(node: cst.CSTNode) -> List[cst.BaseExpression]:
    """The string-literal-like members of a tuple, list or set literal (or the node itself)."""
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return [e.value for e in node.elements if isinstance(e, cst.Element)]
    return [node]


def _own_hook(cls: type, name: str) -> Optional[Callable]:
    """The visitor class's method `name`, unless it is LibCST's: its visitor base classes define
    a `visit_` and a `leave_` method for every node class, which do nothing."""
    found = getattr(cls, name, None)
    return None if found is None or found is getattr(cst.CSTVisitor, name, None) else found


class ScopedVisitor(cst.CSTVisitor):
    """A visitor that knows the scope (module, class, function) of the node it visits."""

    def __init__(self, context: ModuleContext):
        super().__init__()
        self.context = context
        self.scopes: List[Scope] = [context.module.scope]
        self.found: List[NodeFinding] = []

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    # LibCST's own on_visit/on_leave build the method name ("visit_" + the class name) and look
    # it up for every node; the walk is read-only and the classes are fixed, so the visitor
    # class's hooks are looked up once per node class.
    _hooks: Dict[Tuple[type, type], Tuple[Optional[Callable], Optional[Callable]]] = {}

    def _hooks_of(self, kind: type) -> Tuple[Optional[Callable], Optional[Callable]]:
        key = (type(self), kind)
        found = ScopedVisitor._hooks.get(key)
        if found is None:
            cls = type(self)
            found = (_own_hook(cls, f"visit_{kind.__name__}"), _own_hook(cls, f"leave_{kind.__name__}"))
            ScopedVisitor._hooks[key] = found
        return found

    def on_visit(self, node: cst.CSTNode) -> bool:
        inner = self.context.module.def_scopes.get(id(node))
        if inner is not None:
            self.scopes.append(inner)
        visit = self._hooks_of(type(node))[0]
        return visit is None or visit(self, node) is not False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        leave = self._hooks_of(type(original_node))[1]
        if leave is not None:
            leave(self, original_node)
        if id(original_node) in self.context.module.def_scopes:
            self.scopes.pop()

    def report(self, rule: Rule, node: cst.CSTNode, message: str, confidence: Confidence, v2=None, v3=None) -> None:
        self.found.append(NodeFinding(rule, node, message, confidence, v2, v3))


def walk_together(module: ModuleInfo, visitors: List[ScopedVisitor]) -> None:
    """One walk of the module for several scoped visitors, each shown the nodes, scopes and hooks
    its own walk would show: the scope stack is kept once for all of them, and a node class is
    offered only to the visitors that have a hook for it. A visitor that declines a node's
    children (a visit_ method returning False) cannot share a walk: that raises TypeError."""
    from linter.syntax.walk import Preorder

    scopes = visitors[0].scopes
    for visitor in visitors:
        visitor.scopes = scopes
    def_scopes = module.def_scopes
    table: Dict[type, Tuple[list, list]] = {}
    order = module.order if module.order is not None else Preorder(module.module)
    nodes, ends = order.nodes, order.ends
    open_: List[Tuple[int, list, bool]] = []  # (end, leave hooks with their node, scope pushed)

    def close(leaves: list, pushed: bool) -> None:
        for visitor, hook, node in leaves:
            hook(visitor, node)
        if pushed:
            scopes.pop()

    for index, node in enumerate(nodes):
        while open_ and open_[-1][0] <= index:
            close(*open_.pop()[1:])
        kind = type(node)
        hooks = table.get(kind)
        if hooks is None:
            pairs = [(visitor, visitor._hooks_of(kind)) for visitor in visitors]
            hooks = table[kind] = (
                [(visitor, visit) for visitor, (visit, _) in pairs if visit is not None],
                [(visitor, leave) for visitor, (_, leave) in pairs if leave is not None],
            )
        inner = def_scopes.get(id(node))
        if inner is not None:
            scopes.append(inner)
        for visitor, visit in hooks[0]:
            if visit(visitor, node) is False:
                raise TypeError(f"{type(visitor).__name__} declines children and cannot share a walk")
        if hooks[1] or inner is not None:
            open_.append((ends[index], [(visitor, hook, node) for visitor, hook in hooks[1]], inner is not None))
    while open_:
        close(*open_.pop()[1:])
