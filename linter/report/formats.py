"""The registry of output formats: one row a format, naming the module function that renders
it, the commands that offer it and what it needs. The command line builds its --format choices
and help from it, and the docs list it; a new format is its module plus one row here.

Every renderer has one signature, `render(result, view) -> str`: `view` carries what the
command's flags add to the result (baseline fingerprints, quiet, the source lines, ...)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Dict, Mapping, Optional, Tuple

from linter.model import LintResult


@dataclass(frozen=True)
class View:
    """What a report shows beyond its result, from the command's flags."""

    prints: Mapping[tuple, str] = field(default_factory=dict)  # a finding's key -> its fingerprint
    baseline: Optional[Tuple[int, int]] = None  # (findings the baseline hid, its entries that matched nothing)
    quiet: bool = False
    show_source: bool = False
    show_suppressed: bool = False
    statistics: bool = False


@dataclass(frozen=True)
class Format:
    name: str
    target: str  # "module:function", imported when the format is used
    commands: Tuple[str, ...]  # the commands whose --format offers it
    summary: str
    fingerprints: bool = False  # needs the findings' fingerprints (view.prints)
    colors: bool = False  # colored on a terminal
    statistics: bool = False  # renders --statistics itself (the others show the text statistics)

    @property
    def renderer(self) -> Callable[[LintResult, View], str]:
        module, _, function = self.target.partition(":")
        return getattr(importlib.import_module(module), function)

    def render(self, result: LintResult, view: View = View()) -> str:
        return self.renderer(result, view)


FORMATS: Tuple[Format, ...] = (
    Format(
        "text", "linter.report.text:render", ("check",), "path:line:col: CODE message", colors=True, statistics=True
    ),
    Format(
        "json", "linter.report.json:render", ("check",), "the findings (a stable contract, see README)", statistics=True
    ),
    Format("sarif", "linter.report.sarif:render", ("check",), "SARIF 2.1.0 (a stable contract)", fingerprints=True),
    Format("github", "linter.report.github:render", ("check",), "GitHub workflow annotations"),
    Format("gitlab", "linter.report.gitlab:render", ("check",), "a GitLab code quality report", fingerprints=True),
    Format("checklist", "linter.report.checklist:render_markdown", ("check",), "the migration checklist in Markdown"),
    Format("markdown", "linter.report.checklist:render_markdown", ("checklist",), "reads well in a pull request"),
    Format("json", "linter.report.checklist:render_json", ("checklist",), "the checklist's data, for tools"),
    Format(
        "html", "linter.report.html:render", ("check", "checklist"), "the migration report, one self-contained page"
    ),
)


def offered(command: str) -> Dict[str, Format]:
    """The formats of `command`'s --format, in the order of the registry."""
    return {f.name: f for f in FORMATS if command in f.commands}


def get(command: str, name: str) -> Format:
    return offered(command)[name]


def help_text(command: str) -> str:
    return "Output format: " + "; ".join(f"{f.name}: {f.summary}" for f in offered(command).values()) + "."
