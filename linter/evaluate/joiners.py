"""Joiners: the functions and clients that put a path after a Clever base URL, and the URLs
their calls make. A helper `get(self, path)` that requests `BASE + path` is a joiner of its
parameter `path`; so is a function that hands its own parameter to one (`paginate(path)`
calling `self.get(path)`), and an HTTP client made with a base URL (`httpx.Client(base_url=BASE)`)
for the paths its request methods are given. Each call of a joiner with a path the analysis
reads makes one more evaluation: the base and the path, composed.

`Joiners` is one run's: the analysis (linter.analysis.modules) registers the evaluations that
end in a parameter, propagates, then follows each checked module's calls; what it joined
(`joined`) and the calls whose path it cannot read (`opaque_calls`) are the closed world's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Set, Tuple

import libcst as cst

from linter import catalog
from linter.evaluate.evaluation import Evaluation
from linter.evaluate.guards import admits
from linter.evaluate.resolve import Resolver
from linter.evaluate.template import Hole, Template
from linter.evaluate.urls import UrlAnalysis
from linter.evaluate.variants import alternatives
from linter.syntax.module import ModuleInfo
from linter.syntax.project import Project
from linter.syntax.scope import Scope, argument

# an HTTP client's request methods (catalog/libraries.yaml)
REQUEST_METHODS = catalog.libraries().request_methods
BASE_URL_KEYWORDS = catalog.libraries().base_url_keywords
# method names that many objects have (an HTTP client's among them): a call of one of them is
# taken for a joiner's only inside the joiner's own class (self.get(...))
COMMON_METHOD_NAMES = REQUEST_METHODS | frozenset(
    {
        "send",
        "fetch",
        "call",
        "open",
        "read",
        "write",
        "update",
        "pop",
        "setdefault",
        "format",
        "join",
        "append",
        "extend",
        "add",
        "run",
    }
)


@dataclass(frozen=True)
class Joiner:
    """A function that puts one of its parameters after a Clever base URL."""

    param: str
    index: int
    prefix: Template
    is_method: bool
    function: Optional[Scope] = None  # where it is defined
    root: Optional[Tuple[cst.BaseExpression, Scope]] = None  # the string it builds, to resolve again


class Joiners:
    def __init__(
        self,
        project: Project,
        resolver: Resolver,
        analyze: Callable[[Template], UrlAnalysis],
        evaluation_of: Callable[[cst.CSTNode], Optional[Evaluation]],
        on_joined: Callable[[Evaluation], None],
    ) -> None:
        self.project = project
        self.resolver = resolver
        self.analyze = analyze
        self.evaluation_of = evaluation_of  # a root node's evaluation, if it has one
        self.on_joined = on_joined  # takes each evaluation a joiner's call makes
        self.joiners: Dict[str, List[Joiner]] = {}
        self.joined: Set[cst.CSTNode] = set()  # arguments of joiner calls that were followed
        self.opaque_calls: List[Tuple[Template, object]] = []  # (joiner prefix, CallSite) with unread paths
        self._imports: Dict[int, Set[ModuleInfo]] = {}  # id of a module -> the project modules it imports
        self._keys: Set[tuple] = set()  # (name, _joiner_key) of every joiner known: each is added once
        self._aliases: Dict[int, Set[str]] = {}  # id of a joiner -> the names that hold its parameter
        # whether an unknown base (a template without literal text) comes from Clever's code
        self.clever_base: Callable[[Template], bool] = lambda template: False

    def register(self, evaluation: Evaluation) -> None:
        template = evaluation.template
        flat = template.flat
        for index, part in enumerate(template.parts):
            if isinstance(part, Hole) and part.param is not None:
                scope, name = part.param
                start = flat_offset(template, index)
                prefix = template.slice(0, start)
                if self.analyze(prefix).endpoint is not None or start >= len(flat):
                    return
                self._add(scope, name, prefix, (evaluation.root.node, evaluation.root.scope))
                return

    def propagate(self, modules: List[ModuleInfo], max_rounds: int = 8) -> None:
        """A function that hands its own parameter to a joiner is a joiner too
        (`paginate(path)` calling `self._get(path)`)."""
        for _ in range(max_rounds):
            added = False
            for module in modules:
                for call in module.calls:
                    for joiner in list(self.joiners.get(call.callee, ())):
                        if joiner.is_method != (call.receiver is not None):
                            continue
                        passed = argument(call.node, joiner.param, joiner.index)
                        if not isinstance(passed, cst.Name):
                            continue
                        holes = self.resolver.resolve(passed, call.scope).parts
                        if len(holes) != 1 or not isinstance(holes[0], Hole) or holes[0].param is None:
                            continue
                        scope, name = holes[0].param
                        added = self._add(scope, name, joiner.prefix) or added
            if not added:
                return

    def _add(self, scope, param: str, prefix: Template, root=None) -> bool:
        """Record that function `scope` puts its parameter `param` after `prefix`."""
        order = scope.param_order
        index = order.index(param) if param in order else -1
        new = Joiner(param, index, prefix, scope.class_scope is not None, scope, root)
        key = (scope.name, _joiner_key(new))
        if key in self._keys:
            return False
        self._keys.add(key)
        self.joiners.setdefault(scope.name, []).append(new)
        return True

    def follow_helpers(self, module: ModuleInfo) -> None:
        for call in module.calls:
            for joiner in self.joiners.get(call.callee, ()):
                if joiner.is_method != (call.receiver is not None):
                    continue
                if joiner.is_method and self._runs_another_method(call, joiner):
                    continue
                passed = argument(call.node, joiner.param, joiner.index)
                if passed is None:
                    continue
                evaluation = self.evaluation_of(passed)
                if evaluation is None and isinstance(passed, cst.Name):
                    bound = self.resolver.lookup(passed.value, call.scope)
                    if bound is not None:
                        evaluation = self.evaluation_of(bound[0])
                elif evaluation is None and isinstance(passed, cst.Attribute):
                    bound = self.resolver.binding_of(passed, call.scope)  # Paths.TEACHERS
                    if bound is not None:
                        evaluation = self.evaluation_of(bound[0])
                if evaluation is None and self._join_each(joiner, call, passed):
                    continue
                if evaluation is None:
                    if self._calls_joiner(call, joiner) and not self._handed_on(passed, call):
                        self.opaque_calls.append((joiner.prefix, call))  # a path the analysis cannot read
                    continue
                if evaluation.analysis.host:
                    continue
                if not self._admits(joiner, evaluation):
                    continue  # the helper's branch that builds this URL does not run for this path
                self._join(self._prefix_for(joiner, call), passed, evaluation)

    def _join_each(self, joiner: Joiner, call, passed) -> bool:
        """`for kind in ("students", "teachers"): fetch(kind)` (a loop, a mapping, a choice):
        the call with each value the argument takes, each a literal of its own; False when
        the values are not known."""
        if not isinstance(passed, (cst.Name, cst.Subscript, cst.IfExp)) or not self._calls_joiner(call, joiner):
            return False
        options = alternatives(self.resolver, passed, call.scope)
        if not options:
            return False
        joined = False
        for option in options:
            nodes = {id(p.source.node): p.source.node for p in option.parts if getattr(p, "source", None) is not None}
            evaluation = self.evaluation_of(next(iter(nodes.values()))) if len(nodes) == 1 else None
            if evaluation is None or evaluation.analysis.host or not self._admits(joiner, evaluation):
                continue
            self._join(self._prefix_for(joiner, call), passed, evaluation)
            joined = True
        return joined

    def _admits(self, joiner: Joiner, evaluation: Evaluation) -> bool:
        """A literal path and a helper with several returns: whether the return this joiner
        stands for runs for it (linter.evaluate.guards)."""
        function = joiner.function
        if joiner.root is None or function is None or not evaluation.template.is_fully_literal:
            return True
        names = self._aliases.get(id(joiner))
        if names is None:
            names = {joiner.param}
            for name, bindings in function.assigns.items():
                if len(bindings) == 1 and bindings[0] is not None:
                    parts = self.resolver.resolve(bindings[0][0], bindings[0][1]).parts
                    if len(parts) == 1 and isinstance(parts[0], Hole) and parts[0].param == (function, joiner.param):
                        names.add(name)  # a local that holds the parameter (its slash normalised)
            self._aliases[id(joiner)] = names
        return admits(function, joiner.root[0], names, evaluation.template.flat)

    def _runs_another_method(self, call, joiner: Joiner) -> bool:
        """`self.get(path)` in a class whose own hierarchy defines `get` elsewhere than the
        joiner's class: the call runs that method, not a joiner of the same name in another
        class (another vendor's connector beside a Clever client)."""
        caller = self_call_class(call)
        if caller is None:
            return False
        own = joiner.function.class_scope if joiner.function is not None else None
        pending, seen = [caller], set()
        while pending:
            cls = pending.pop(0)
            if cls is None or id(cls) in seen:
                continue
            seen.add(id(cls))
            if call.callee in cls.functions:
                return cls is not own
            pending.extend(self.resolver.bases(cls))
        return False

    def follow_clients(self, module: ModuleInfo) -> None:
        """An HTTP client made with a base URL (`httpx.Client(base_url=BASE)`, requests-toolbelt's
        `BaseUrlSession(base_url=BASE)`, `aiohttp.ClientSession(base_url=BASE)`) joins the paths
        its request methods are given to that base: `client.get("/students")`."""
        for call in module.calls:
            if call.callee not in REQUEST_METHODS or call.receiver is None:
                continue
            bound = self.resolver.binding_of(call.receiver, call.scope)
            if bound is None or not isinstance(bound[0], cst.Call):
                continue
            base_arg = next(
                (a.value for a in bound[0].args if a.keyword and a.keyword.value in BASE_URL_KEYWORDS), None
            )
            if base_arg is None:
                continue
            base = self.resolver.resolve(base_arg, bound[1])
            if not base.has_literal and not self.clever_base(base):
                continue
            positional = [a.value for a in call.node.args if a.keyword is None and not a.star]
            index = 1 if call.callee == "request" else 0
            passed = positional[index] if len(positional) > index else None
            if passed is None:
                passed = next((a.value for a in call.node.args if a.keyword and a.keyword.value == "url"), None)
            evaluation = self.evaluation_of(passed) if passed is not None else None
            if evaluation is None or evaluation.analysis.host:
                continue
            self._join(base, passed, evaluation)

    def _join(self, prefix: Template, passed: cst.BaseExpression, evaluation: Evaluation) -> None:
        """The URL `evaluation`'s path makes once a helper or client joins it to `prefix`; a
        path that is a parameter of its function makes that function a joiner in turn
        (`client.get("/" + kind)` in `fetch(kind)`)."""
        self.joined.add(passed)
        composed = prefix + evaluation.template
        joined = Evaluation(evaluation.module, evaluation.root, composed, self.analyze(composed), True)
        self.on_joined(joined)
        parts = evaluation.template.parts
        at = next((i for i, p in enumerate(parts) if isinstance(p, Hole) and p.param is not None), None)
        if at is not None and evaluation.template.slice(0, flat_offset(evaluation.template, at)).flat.strip("/") == "":
            self.register(joined)  # the parameter is the whole path ("/" + kind), not an ID in one

    def _prefix_for(self, joiner: Joiner, call) -> Template:
        """The joiner's prefix as this call sees it: `self.get(path)` from a subclass that sets
        its own `base_url` joins to that class's base, not to the base class's."""
        caller = self_call_class(call)
        if joiner.root is None or not joiner.is_method or caller is None:
            return joiner.prefix
        own = joiner.function.class_scope if joiner.function is not None else None
        if caller is own or not self.resolver.inherits(caller, own):
            return joiner.prefix
        template = self.resolver.resolve_as(joiner.root[0], joiner.root[1], caller)
        for index, part in enumerate(template.parts):
            if isinstance(part, Hole) and part.param is not None and part.param[1] == joiner.param:
                return template.slice(0, flat_offset(template, index))
        return joiner.prefix

    def _calls_joiner(self, call, joiner: Joiner) -> bool:
        """Whether `call` surely calls this joiner (its name alone may be any object's `get`):
        `self.name(...)` inside the joiner's own class, or a name that is not a common method
        name, called in the joiner's module or in one that imports from it."""
        function = joiner.function
        if function is None:
            return False
        if joiner.is_method:
            caller = self_call_class(call)
            if caller is not None and caller is function.class_scope:
                return True
            receiver = call.receiver
            if receiver is not None and self.resolver.instance_class(receiver, call.scope) is function.class_scope:
                return True  # client = CleverClient(); client.fetch(kind)
            if call.callee in COMMON_METHOD_NAMES:
                return False
        module = call.scope.module
        return module is function.module or function.module in self.imported_by(module)

    def imported_by(self, module: ModuleInfo) -> Set[ModuleInfo]:
        """The project modules `module` imports from (found once a module: a run asks it for
        each call of a joiner's name)."""
        key = id(module)
        found = self._imports.get(key)
        if found is None:
            found = self._imports[key] = {
                imported
                for ref in module.scope.imports.values()
                if ref.module or ref.level
                # `from . import settings`, `from app import settings`: the submodule too
                for dotted in [ref.module]
                + ([f"{ref.module}.{ref.name}" if ref.module else ref.name] if ref.name else [])
                for imported in [self.project.find_module(module, dotted, ref.level)]
                if imported is not None
            }
        return found

    def _handed_on(self, passed, call) -> bool:
        """The argument is a parameter of the calling function, which is a joiner in turn: its
        own calls are judged (`paginate(path)` calling `self._get(path)`)."""
        parts = self.resolver.resolve(passed, call.scope).parts
        if len(parts) != 1 or not isinstance(parts[0], Hole) or parts[0].param is None:
            return False
        scope, name = parts[0].param
        return any(j.param == name and j.function is scope for j in self.joiners.get(scope.name, ()))


def _joiner_key(joiner: Joiner) -> tuple:
    return (joiner.param, joiner.index, joiner.is_method, joiner.prefix.flat)


def flat_offset(template: Template, part_index: int) -> int:
    """Where part `part_index` starts in the template's flat text."""
    offset = 0
    for part in template.parts[:part_index]:
        offset += 1 if isinstance(part, Hole) else len(part.text)
    return offset


def self_call_class(call) -> Optional[Scope]:
    """The class of the method in which `call` is `self.name(...)`; None for any other call."""
    method = call.scope.enclosing_method()
    if method is None or not isinstance(call.receiver, cst.Name) or call.receiver.value != method.self_name:
        return None
    return method.class_scope
