"""The closed world of one run, for the fix planner (fix.plan.ClosedWorld): the uses of a
literal that no evaluation accounts for, the joiner calls whose paths the analysis cannot read,
the files of the run that could not be parsed, and the recorded responses that hold the pins."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from linter.evaluate.urls import UrlAnalysis
from linter.evaluate.uses import Uses, bindings, parents_of
from linter.fix.plan import place_order
from linter.syntax.module import ModuleInfo, deep


class ProjectWorld:
    """The closed world of one run (fix.plan.ClosedWorld): the uses of a literal that no
    evaluation accounts for, the joiner calls whose paths the analysis cannot read, and the
    files of the run that could not be parsed."""

    def __init__(self, analysis, unparsed: List[Tuple[str, bytes]]):
        """`analysis`: the run's linter.analysis.modules.ModuleAnalysis (its resolver, modules,
        evaluations by root node, joiners and recorded responses)."""
        self.analysis = analysis
        self.unparsed = unparsed
        self.uses = Uses(analysis.resolver, analysis.modules, analysis.by_node.get, analysis.joiners.joined)
        self._escapes: Dict[int, Optional[str]] = {}

    def holds(self, literal, evaluation, strict: bool) -> List[str]:
        module = literal.module
        roots = [evaluation.root] + [r for r in module.roots if r.node is literal.node or r.node is literal.unit]
        found = set()
        names = set()
        for root in {id(r): r for r in roots}.values():
            evaluation_of_root = self.analysis.by_node.get(root.node)
            complete = evaluation_of_root is not None and _has_path(evaluation_of_root.analysis)
            # a reference walk recurses once per node level: deep() retries it with a large stack
            for use in deep(self.uses.opaque, root, literal.node, strict, complete):
                found.add(f"{use.where()} {use.how}")
            names.update(binding.name for binding in bindings(root))
        if not strict:
            found.update(self._escaping_joiners(literal))
            if evaluation is None or evaluation.analysis.endpoint is None:  # a base, or a path unknown
                found.update(self._unfollowed_paths(module))
            for prefix, call in self.analysis.joiners.opaque_calls:
                if any(getattr(p, "source", None) is not None and p.source.node is literal.node for p in prefix.parts):
                    line = call.scope.module.position(call.node).start.line
                    found.add(f"{call.scope.module.display}:{line} passes {call.callee}() a path it cannot read")
        found.update(self._unparsed_near(module, names))
        if not strict:
            found.update(
                f"{where} records a v2 response (a cassette or fixture) that fix does not rewrite"
                for where in self.analysis.recorded
            )
        return sorted(found, key=place_order)

    def _escaping_joiners(self, literal) -> List[str]:
        """Joiners of a path to this literal that are handed on as values (registered by a
        decorator, passed, stored): their callers are not all calls the analysis reads, so a
        path given to them somewhere it cannot see may be v2."""
        out = []
        for name, joiners in self.analysis.joiners.joiners.items():
            for joiner in joiners:
                function = joiner.function
                if function is None or not any(
                    getattr(p, "source", None) is not None and p.source.node is literal.node
                    for p in joiner.prefix.parts
                ):
                    continue
                escape = self._escape(function, name)
                if escape is not None:
                    out.append(escape)
        return out

    def _unfollowed_paths(self, module: ModuleInfo) -> List[str]:
        """The role words of the literal floor (reported, not followed) in this base's module or
        in a module that imports from it: each may be the path joined to this base."""
        out = []
        for candidate in self.analysis.floor:
            home = candidate.home
            if home is None:
                continue
            if home is module or module in self.analysis.joiners.imported_by(home):
                where = f"{candidate.finding.path}:{candidate.finding.span.line}"
                out.append(f"{where} has a v2 role word ({candidate.finding.v2}) whose use the analysis cannot follow")
        return out

    def _escape(self, function, name: str) -> Optional[str]:
        key = id(function)
        if key not in self._escapes:
            self._escapes[key] = _escape_of(function, name, self.analysis.modules)
        return self._escapes[key]

    def _unparsed_near(self, module: ModuleInfo, names: Set[str]) -> List[str]:
        """Unparsed files of the run that may use the literal: in the same top-level package,
        or spelling a name it is bound to."""
        package = _top_package(module.path)
        out = []
        for display, data in self.unparsed:
            path = Path(display).resolve()
            same = package is not None and package in path.parents
            if same or any(name.encode() in data for name in names):
                out.append(f"{display}:1 cannot be parsed, so its uses cannot be read")
        return out


def _has_path(analysis: UrlAnalysis) -> bool:
    """A URL with something after its base (a literal path or a parameter joined to it)."""
    return analysis.endpoint is not None or analysis.path_start < len(analysis.template.flat)


def _top_package(path: Path) -> Optional[Path]:
    """The directory of the top-level package holding `path`, or None outside a package."""
    directory = path.parent
    if not (directory / "__init__.py").is_file():
        return None
    while (directory.parent / "__init__.py").is_file() and directory.parent != directory:
        directory = directory.parent
    return directory


# decorators that leave a function called as it is written
TRANSPARENT_DECORATORS = frozenset(
    {"staticmethod", "classmethod", "property", "wraps", "lru_cache", "cache", "cached_property", "abstractmethod"}
)


def _escape_of(function, name: str, modules: List[ModuleInfo]) -> Optional[str]:
    """`path:line (how)` where function `name` is handed on as a value, or None when every
    reference to it is a call (or its definition)."""
    node = function.node
    if isinstance(node, cst.FunctionDef):
        for decorator in node.decorators:
            expression = decorator.decorator
            head = expression.func if isinstance(expression, cst.Call) else expression
            word = head.attr.value if isinstance(head, cst.Attribute) else getattr(head, "value", "")
            if word not in TRANSPARENT_DECORATORS and not word.endswith("setter"):
                line = function.module.position(decorator).start.line
                return f"{function.module.display}:{line} registers {name}() with @{word}, whose calls cannot be read"
    word = name.encode()
    for module in modules:
        if module.module is None or word not in module.source:
            continue
        for reference, parents in parents_of(module, name):
            parent = parents[-1] if parents else None
            if isinstance(parent, cst.Call) and parent.func is reference:
                continue
            if isinstance(parent, (cst.FunctionDef, cst.ImportAlias, cst.AsName, cst.Param)):
                continue
            if isinstance(parent, cst.Attribute) and parent.attr is reference:
                continue  # the attribute's own node is judged
            if isinstance(parent, (cst.Arg, cst.AssignTarget)) and getattr(parent, "keyword", None) is reference:
                continue
            if isinstance(parent, cst.AssignTarget):
                continue
            line = module.position(reference).start.line
            return f"{module.display}:{line} hands {name} on as a value, whose calls cannot be read"
    return None
