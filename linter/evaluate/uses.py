"""Where a string literal goes: every use of the name (or attribute, or dict entry) it is bound
to, in the checked modules, with what the code does there. The fix planner moves a version pin
only when every use is accounted for (closed world); a use it cannot follow holds the pin, and
this module says which one and where.

A use is accounted for when it is part of a root string expression whose evaluation contains
the literal (the planner judges that URL), an alias (`base = BASE`, `self.base = base_url`,
whose own uses are followed in turn), a comparison, or a log or error message. Anything else,
such as handing the value to a client's constructor or returning it, is a use the analysis
cannot see the end of."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Set, Tuple

import libcst as cst

from linter.evaluate.flow import subscript_key
from linter.evaluate.template import Hole
from linter.syntax.collect import MESSAGE_CALLS
from linter.syntax.module import ModuleInfo
from linter.syntax.scope import Root, Scope, ScopeKind, callee_name
from linter.syntax.walk import Preorder

MAX_ALIASES = 4  # how many aliases deep a value is followed (base = BASE; self.base = base; ...)


@dataclass(frozen=True)
class OpaqueUse:
    """A use of the value that the analysis cannot follow to the URL it ends up in."""

    module: ModuleInfo
    node: cst.CSTNode
    how: str  # "passed to Client()", "returned", ...

    def where(self) -> str:
        return f"{self.module.display}:{self.module.position(self.node).start.line}"


@dataclass(frozen=True)
class _Binding:
    """What a value is reachable by: a name (module, class or function level), an attribute of
    instances (`self.<name>`), or an entry of a dict bound to a name."""

    name: str
    attribute: bool = False
    key: Optional[str] = None  # the dict entry's key, for CONFIG["base_url"]


class Uses:
    """Finds the opaque uses of root literals across the checked modules of one run."""

    def __init__(self, resolver, modules: List[ModuleInfo], evaluation_of, joined=frozenset()) -> None:
        self.resolver = resolver
        self.modules = modules
        self.evaluation_of = evaluation_of  # root node -> its evaluation, or None
        self.joined = joined  # arguments a joiner was followed with (their URL was evaluated)
        self._roots: Dict[ModuleInfo, Set[cst.CSTNode]] = {}

    def opaque(self, root: Root, literal: cst.CSTNode, strict: bool = False, complete: bool = False) -> List[OpaqueUse]:
        """The uses of the value `root` computes (its literal `literal` inside) that no
        evaluation accounts for. `strict`: a comparison, a lookup key or a string operation is
        not accounted for either (it is for a base, whose text changes on both sides of a
        comparison; it is not for a path, which a filter must keep). `complete`: the value is a
        whole URL (a path follows the base), so handing it to a call is requesting it."""
        out: List[OpaqueUse] = []
        seen: Set[Tuple[str, bool, Optional[str]]] = set()
        pending = [(binding, root.node, 0) for binding in bindings(root)]
        if not pending and not _from_caller(self.resolver, root):
            # bound to nothing the analysis names (a nested dict's value, a keyword argument, a
            # return value): where the literal itself stands is its use
            module = root.scope.module
            if module.module is not None:
                node, parents = self._value_of(module, root)
                how = self._classify(module, node, parents, literal, strict, complete, itself=True)
                if isinstance(how, tuple):
                    pending.append((how[0], how[1], 1))
                elif how is not None:
                    out.append(OpaqueUse(module, node, how))
        while pending:
            binding, value, depth = pending.pop()
            if (binding.name, binding.attribute, binding.key) in seen:
                continue
            seen.add((binding.name, binding.attribute, binding.key))
            for module, node, scope, parents in self._references(binding):
                if not self._is_this(node, scope, value, binding):
                    continue
                how = self._classify(module, node, parents, literal, strict, complete)
                if how is None:
                    continue
                if isinstance(how, tuple):  # an alias: (its binding, the value it is bound to)
                    if depth < MAX_ALIASES:
                        pending.append((how[0], how[1], depth + 1))
                    else:
                        out.append(OpaqueUse(module, node, "aliased too many times to follow"))
                    continue
                out.append(OpaqueUse(module, node, how))
        return out

    def _augmented_url(self, module: ModuleInfo, node: cst.CSTNode, parents: list, literal: cst.CSTNode) -> bool:
        """`url = BASE; url += "/" + kind; get(url)`: the name, read after the last `+=` that
        completes it (a root whose URL holds the literal and a path), is that URL requested."""
        if not isinstance(node, cst.Name):
            return False
        scope = _index(module).scope(parents)
        holder = next((s for s in scope.chain() if node.value in s.assigns), None)
        last = holder.assigns[node.value][-1] if holder is not None else None
        if last is None or not isinstance(last[0], cst.AugAssign):
            return False
        after, at = module.order_index(node), module.order_index(last[0])
        if after is None or at is None or after < at:
            return False
        evaluation = self.evaluation_of(last[0])
        if evaluation is None or not any(
            getattr(p, "source", None) is not None and p.source.node is literal for p in evaluation.template.parts
        ):
            return False
        analysis = evaluation.analysis
        return analysis.endpoint is not None or analysis.path_start < len(evaluation.template.flat)

    def _whole_url(self, node: cst.CSTNode) -> bool:
        """A string that is a whole URL by itself (a host, or a version, before its path)."""
        evaluation = self.evaluation_of(node)
        analysis = getattr(evaluation, "analysis", None)
        return analysis is not None and bool(analysis.host or analysis.version)

    def _loop_use(self, module: ModuleInfo, loop: cst.For) -> Optional[str]:
        """`for kind in ("students", "teachers"): fetch(kind)`: accounted for when every use of
        the loop variable is a path the joiners followed (a label or a key would change too)."""
        target = loop.target.value  # type: ignore[attr-defined]
        index = _index(module)
        for reference in index.by_word.get(target, ()):
            if reference is loop.target or not isinstance(reference, cst.Name):
                continue
            parents = index.parents(reference)
            if loop not in parents or _is_store_or_attr(reference, parents):
                continue
            if reference not in self.joined:
                line = module.position(reference).start.line
                return f"its loop variable is also used at line {line}, beyond the path"
        return None

    def _value_of(self, module: ModuleInfo, root: Root) -> Tuple[cst.CSTNode, List[cst.CSTNode]]:
        """The outermost expression whose value is the root's, as the resolver reads it
        (`os.environ.get("BASE", "https://...")`: the call, whose value is the default), with
        its parents."""
        index = _index(module)
        node: cst.CSTNode = root.node
        parents = index.parents(node)
        while len(parents) >= 2 and isinstance(parents[-1], cst.Arg) and isinstance(parents[-2], cst.Call):
            call = parents[-2]
            sources = {
                id(p.source.node) for p in self.resolver.resolve(call, root.scope).parts if getattr(p, "source", None)
            }
            if id(root.node) not in sources and not any(id(n) in sources for n in _strings_in(root.node)):
                break
            node, parents = call, parents[:-2]
        return node, parents

    # -- finding references ----------------------------------------------------------------------
    def _references(self, binding: _Binding) -> Iterator[Tuple[ModuleInfo, cst.CSTNode, Scope, list]]:
        word = binding.name.encode()
        for module in self.modules:
            if module.module is None or word not in module.source:
                continue
            yield from _walk_references(module, binding)

    def _is_this(self, node: cst.CSTNode, scope: Scope, value: cst.CSTNode, binding: _Binding) -> bool:
        """Whether the reference means the binding that holds `value` (not another `BASE`)."""
        target = node.value if binding.key is not None else node  # CONFIG of CONFIG["key"]
        if isinstance(target, cst.Call):  # CONFIG.get("key")
            target = target.func.value  # type: ignore[attr-defined]
        bound = self.resolver.binding_of(target, scope)
        if bound is None:
            # an attribute of that name on an object the analysis cannot name may be this one,
            # and a name also bound elsewhere (`url = BASE` then `url += path`) may hold it: a
            # rewrite needs proof, so the read counts
            if binding.attribute:
                return binding.key is None
            if isinstance(target, cst.Name) and not isinstance(node, cst.Attribute):
                holder = next((s for s in scope.chain() if target.value in s.assigns), None)
                return holder is not None and any(b is not None and b[0] is value for b in holder.assigns[target.value])
            return False

        expression = bound[0]
        if binding.key is None:
            return expression is value
        return isinstance(expression, cst.Dict) and any(
            isinstance(e, cst.DictElement) and e.value is value for e in expression.elements
        )

    # -- what the code does there ------------------------------------------------------------------
    def _classify(
        self,
        module: ModuleInfo,
        node: cst.CSTNode,
        parents: list,
        literal: cst.CSTNode,
        strict: bool,
        complete: bool,
        itself: bool = False,
    ):
        """None (accounted for), (binding, value) of an alias to follow, or how the use is opaque.
        `itself`: `node` is the root string, bound to nothing (its place is its use)."""
        roots = self._root_nodes(module)
        for ancestor in reversed(parents) if not itself else ():
            if ancestor in roots:
                evaluation = self.evaluation_of(ancestor)
                if evaluation is not None and any(
                    getattr(p, "source", None) is not None and p.source.node is literal
                    for p in evaluation.template.parts
                ):
                    return None  # the planner judges that URL (and the use of that string)
                return "in a URL built here that the analysis cannot read"
            if isinstance(ancestor, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)):
                break
        parents = list(parents)
        parent = parents[-1] if parents else None
        if isinstance(parent, cst.AugAssign) and parent.target is node:
            evaluation = self.evaluation_of(parent)  # `url += kind`: a root of its own (collect)
            if evaluation is not None and any(
                getattr(p, "source", None) is not None and p.source.node is literal for p in evaluation.template.parts
            ):
                return None  # the planner judges that URL
            return "extended in place (+=), which the analysis cannot follow"
        # `BASE or DEFAULT`, `BASE if x else OTHER`: the value flows on to what holds the whole
        while isinstance(parent, (cst.BooleanOperation, cst.IfExp)) and getattr(parent, "test", None) is not node:
            node = parents.pop()
            parent = parents[-1] if parents else None
        if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is node:
            targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
            if len(targets) == 1 and isinstance(targets[0], cst.Name):
                return _Binding(targets[0].value), parent.value
            if len(targets) == 1 and isinstance(targets[0], cst.Attribute):
                return _Binding(targets[0].attr.value, attribute=True), parent.value
            return "assigned to something the analysis cannot follow"
        if isinstance(parent, cst.Param) and parent.default is node:
            return _Binding(parent.name.value), node  # a parameter's default: its uses are followed
        if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
            return "compared" if strict else None
        # a whole URL (its path after the base) in a structure is rewritten whole; a base kept
        # there is read by code the analysis cannot follow, which may put a v2 path after it
        whole = itself and complete and self._whole_url(node)
        if isinstance(parent, cst.DictElement) and parent.value is node and itself:
            return None if whole else "kept in a structure the analysis cannot follow"
        if isinstance(parent, cst.Element) and itself:
            loop = parents[-3] if len(parents) > 2 and isinstance(parents[-2], (cst.Tuple, cst.List)) else None
            if isinstance(loop, cst.For) and loop.iter is parents[-2] and isinstance(loop.target, cst.Name):
                return self._loop_use(module, loop)
            return None if whole else "kept in a list or tuple the analysis cannot follow"
        if isinstance(parent, (cst.Index, cst.DictElement)) or (
            isinstance(parent, cst.Attribute) and parent.value is node
        ):
            return "used as a key or taken apart"
        if isinstance(parent, cst.Arg) and len(parents) > 1 and isinstance(parents[-2], cst.Call):
            if node in self.joined or complete or self._augmented_url(module, node, parents, literal):
                return None  # requested, or followed into the function that joins it to the base
            name, _ = callee_name(parents[-2].func)
            if name in MESSAGE_CALLS or name.endswith(("Error", "Exception", "Warning")):
                return None
            return f"passed to {name or 'a call'}()"
        if isinstance(parent, cst.Return):
            return "returned"
        if isinstance(parent, cst.Expr):
            return None  # evaluated and dropped
        if isinstance(parent, (cst.If, cst.While, cst.IfExp)) and parent.test is node:
            return None  # tested for truth
        if isinstance(parent, cst.UnaryOperation):
            return None  # not BASE
        return "used"

    def _root_nodes(self, module: ModuleInfo) -> Set[cst.CSTNode]:
        if module not in self._roots:
            self._roots[module] = {root.node for root in module.roots}
        return self._roots[module]


def _from_caller(resolver, root: Root) -> bool:
    """The root's value depends on a parameter of its function (`cls.api_root + "/v2.0" + path`):
    a URL builder, whose calls the joiners follow."""
    parts = resolver.resolve(root.node, root.scope).parts
    return any(isinstance(p, Hole) and p.param is not None for p in parts)


def _strings_in(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The string pieces of a literal (an implicit concatenation's parts, an f-string's texts)."""
    if isinstance(node, cst.ConcatenatedString):
        return _strings_in(node.left) + _strings_in(node.right)
    if isinstance(node, cst.FormattedString):
        return [p for p in node.parts if isinstance(p, cst.FormattedStringText)]
    return [node]


def bindings(root: Root) -> List[_Binding]:
    """What the value of `root` is bound to: a name, an attribute of instances, a dict entry."""
    node = root.node
    scope = root.scope
    out: List[_Binding] = []
    for current in (scope, scope.class_scope) if scope.class_scope is not None else (scope,):
        for name, values in current.assigns.items():
            for value in values:
                if value is not None:
                    if value[0] is node:
                        out.append(_Binding(name))
                        if current.kind is ScopeKind.CLASS:
                            out.append(_Binding(name, attribute=True))  # Settings.base_url, self.base_url
                    elif isinstance(value[0], cst.Dict):
                        for element in value[0].elements:
                            if isinstance(element, cst.DictElement) and element.value is node:
                                key = element.key
                                if isinstance(key, cst.SimpleString) and isinstance(key.evaluated_value, str):
                                    out.append(_Binding(name, key=key.evaluated_value))
    class_scope = scope.class_scope
    if class_scope is not None:
        for name, values in class_scope.self_attrs.items():
            if any(value[0] is node for value in values):
                out.append(_Binding(name, attribute=True))
    for name, param in scope.params.items():
        if param.default is node:
            out.append(_Binding(name))
    return out


def _walk_references(module: ModuleInfo, binding: _Binding) -> Iterator[Tuple[ModuleInfo, cst.CSTNode, Scope, list]]:
    """(module, node, scope, parents) of every expression that may read `binding`, from the
    module's reference index (one walk of the module for every binding asked about)."""
    index = _index(module)
    for node in index.by_word.get(binding.name, ()):
        parents = index.parents(node)
        if _matches(node, parents, binding):
            yield module, node, index.scope(parents), parents


class _Index:
    """Every Name, attribute name, subscript and `.get(...)` of a module by the identifier it
    reads, with each node's parent: what _walk_references looks up instead of walking again."""

    def __init__(self, module: ModuleInfo) -> None:
        self.module = module
        self.by_word: Dict[str, List[cst.CSTNode]] = {}
        self.parent: Dict[int, cst.CSTNode] = {}
        assert module.module is not None
        order = module.order if module.order is not None else Preorder(module.module)
        by_word, parent = self.by_word, self.parent
        ends = order.ends
        open_: List[Tuple[int, cst.CSTNode]] = []  # (end, node) of the ancestors of the node
        for index, node in enumerate(order.nodes):  # the module's nodes, in source order
            while open_ and open_[-1][0] <= index:
                open_.pop()
            if open_:
                parent[id(node)] = open_[-1][1]
            open_.append((ends[index], node))
            kind = type(node)
            if kind is cst.Name:
                by_word.setdefault(node.value, []).append(node)  # type: ignore[attr-defined]
            elif kind is cst.Attribute:
                by_word.setdefault(node.attr.value, []).append(node)  # type: ignore[attr-defined]
            elif kind is cst.Subscript and type(node.value) is cst.Name:  # type: ignore[attr-defined]
                by_word.setdefault(node.value.value, []).append(node)  # type: ignore[attr-defined]
            elif kind is cst.Call and type(node.func) is cst.Attribute:  # type: ignore[attr-defined]
                receiver = node.func.value  # type: ignore[attr-defined]
                if type(receiver) is cst.Name:
                    by_word.setdefault(receiver.value, []).append(node)

    def parents(self, node: cst.CSTNode) -> List[cst.CSTNode]:
        out: List[cst.CSTNode] = []
        current = self.parent.get(id(node))
        while current is not None:
            out.append(current)
            current = self.parent.get(id(current))
        out.reverse()
        return out

    def scope(self, parents: List[cst.CSTNode]) -> Scope:
        for ancestor in reversed(parents):
            inner = self.module.def_scopes.get(id(ancestor))
            if inner is not None:
                return inner
        return self.module.scope


def parents_of(module: ModuleInfo, word: str) -> Iterator[Tuple[cst.CSTNode, List[cst.CSTNode]]]:
    """Every Name, or Attribute naming `word`, of the module, with its parents (outermost first)."""
    index = _index(module)
    for node in index.by_word.get(word, ()):
        if isinstance(node, (cst.Name, cst.Attribute)):
            yield node, index.parents(node)


def _index(module: ModuleInfo) -> _Index:
    found = module.derived.get("reference_index")
    if found is None:
        found = module.derived["reference_index"] = _Index(module)
    return found  # type: ignore[return-value]


def _matches(node: cst.CSTNode, parents: List[cst.CSTNode], binding: _Binding) -> bool:
    if binding.key is not None:
        if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name) and node.value.value == binding.name:
            return subscript_key(node) == binding.key
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "get"
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value == binding.name
            and node.args
            and isinstance(node.args[0].value, cst.SimpleString)
        ):
            return node.args[0].value.evaluated_value == binding.key
        return False
    if binding.attribute:
        return isinstance(node, cst.Attribute) and node.attr.value == binding.name and not _is_target(node, parents)
    if isinstance(node, cst.Attribute):  # settings.BASE_URL: a module's name, read through the module
        return node.attr.value == binding.name and not _is_target(node, parents)
    return isinstance(node, cst.Name) and node.value == binding.name and not _is_store_or_attr(node, parents)


def _is_target(node: cst.CSTNode, parents: List[cst.CSTNode]) -> bool:
    """The node is what an assignment stores into (`self.base = ...`), not a read."""
    parent = parents[-1] if parents else None
    if isinstance(parent, cst.AssignTarget) and parent.target is node:
        return True
    return isinstance(parent, cst.AnnAssign) and parent.target is node  # `x += ...` reads x: a use


def _is_store_or_attr(node: cst.Name, parents: List[cst.CSTNode]) -> bool:
    """A Name that is an assignment target, an attribute name, a keyword or a parameter."""
    parent = parents[-1] if parents else None
    if isinstance(parent, cst.Attribute) and parent.attr is node:
        return True
    if isinstance(parent, cst.AssignTarget) and parent.target is node:
        return True
    if isinstance(parent, (cst.Arg,)) and parent.keyword is node:
        return True
    if isinstance(parent, (cst.Param, cst.FunctionDef, cst.ClassDef, cst.ImportAlias, cst.AsName)):
        return True
    if isinstance(parent, cst.AnnAssign) and parent.target is node:
        return True
    return False
