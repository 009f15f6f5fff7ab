"""The closed world of one run, for the fix planner (fix.plan.ClosedWorld): the uses of a
literal that no evaluation accounts for, the joiner calls whose paths the analysis cannot read,
the files of the run that could not be parsed, and the recorded responses that hold the pins."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Set, Tuple

from linter.evaluate.urls import UrlAnalysis
from linter.evaluate.uses import Uses, bindings
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
