"""An evaluation: one root string expression of a parsed module, resolved to a URL template
(linter.evaluate.resolve) and read (linter.evaluate.urls). What the URL rules, the data flow
and the fix planner share about one string."""

from __future__ import annotations

from dataclasses import dataclass

from linter.evaluate.template import Template
from linter.evaluate.urls import UrlAnalysis
from linter.syntax.module import ModuleInfo
from linter.syntax.scope import Root


@dataclass(eq=False)
class Evaluation:
    """One root string expression of a module, resolved to a URL template and read."""

    module: ModuleInfo
    root: Root
    template: Template
    analysis: UrlAnalysis
    via_joiner: bool = False
    # one of the finite values a run-time piece can take (linter.evaluate.variants): the
    # expression that chooses, as written; such a use is reported, never rewritten
    variant: str = ""
