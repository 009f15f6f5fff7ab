"""How a finding in a URL is rewritten: edits of literal text only, or a reason not to.

An edit names a literal node of the source and a range of its value; it can be placed in the
file only where the literal's source text is its value (no escapes in the way). The caller
turns edits into `Fix` ranges (linter.evaluate.locate) and decides, across the whole run, whether
each fix is safe to apply (conflicting literals, the half-migration guard)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

import libcst as cst

from linter import catalog
from linter.evaluate.template import LiteralSource, Template
from linter.evaluate.urls import UrlAnalysis
from linter.syntax.module import ModuleInfo


@dataclass(frozen=True)
class LiteralEdit:
    source: LiteralSource  # the literal node (and module) to edit
    start: int  # offsets in the node's value
    end: int
    replacement: str


@dataclass(frozen=True)
class DictInsert:
    """Insert `"key": "value"` into a literal dict (a `params=` argument)."""

    module: ModuleInfo
    node: cst.Dict
    key: str
    value: str


class Refusal(Exception):
    """The construct is not rewritten; the message says why."""


def _chars(template: Template, start: int, end: int) -> Tuple[LiteralSource, int, int]:
    """The literal holding flat characters [start, end), all of them, contiguously."""
    first = template.source_at(start)
    if first is None:
        raise Refusal("part of it is computed at run time")
    source, offset = first
    for index in range(start + 1, end):
        other = template.source_at(index)
        if other is None or other[0].node is not source.node or other[1] != offset + (index - start):
            raise Refusal("it is split across several pieces of code")
    return source, offset, offset + (end - start)


def replace(template: Template, start: int, end: int, text: str) -> LiteralEdit:
    source, a, b = _chars(template, start, end)
    return LiteralEdit(source, a, b, text)


def insert_after(template: Template, index: int, text: str) -> LiteralEdit:
    """Insert `text` right after flat character `index` (which must be literal)."""
    source, a, b = _chars(template, index, index + 1)
    return LiteralEdit(source, b, b, text)


def endpoint_edits(analysis: UrlAnalysis, call: Optional[cst.Call], module) -> List[object]:
    """The edits that move one v2 role endpoint to its v3.1 path (raises Refusal)."""
    endpoint = analysis.endpoint
    if endpoint is None or not endpoint.kind.moves_role:
        raise Refusal("there is no mechanical v3.1 equivalent")
    template = analysis.template
    flat = template.flat
    v3_path, _, query = endpoint.v3.partition("?")
    v3_segments = v3_path.strip("/").split("/")
    edits: List[object] = []
    for index, (old, new) in enumerate(zip(endpoint.segments, v3_segments)):
        if old != new and not old.startswith("{"):
            start, end = analysis.segment_spans[index]
            edits.append(replace(template, start, end, new))
    if not query:
        return edits
    end = analysis.segment_spans[-1][1]
    rest = flat[end:]
    params = _params_dict(call)
    if params is not None:
        edits.append(DictInsert(module, params, *query.split("=", 1)))
    elif rest == "":
        edits.append(insert_after(template, end - 1, "?" + query))
    elif rest == "/":
        edits.append(replace(template, end, end + 1, "?" + query))  # "/students/" -> "/users?role=student"
    elif rest.startswith("?"):
        edits.append(insert_after(template, end, query + ("&" if len(rest) > 1 else "")))
    elif call is not None and any(a.keyword and a.keyword.value == "params" for a in call.args):
        raise Refusal(f"the call passes params= that is not a literal dict; add {query} to it by hand")
    else:
        raise Refusal(f"the path is completed at run time, so {query} has no safe place; add it by hand")
    return edits


def _params_dict(call: Optional[cst.Call]) -> Optional[cst.Dict]:
    if call is None:
        return None
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "params" and isinstance(arg.value, cst.Dict):
            keys = [e.key for e in arg.value.elements if isinstance(e, cst.DictElement)]
            if any(isinstance(k, cst.SimpleString) and k.evaluated_value == "role" for k in keys):
                raise Refusal("its params already set a role")
            return arg.value
    return None


def version_edit(analysis: UrlAnalysis, target: str = catalog.TARGET_VERSION) -> LiteralEdit:
    start, end = analysis.version_span  # type: ignore[misc]
    return replace(analysis.template, start, end, target)


def me_edit(analysis: UrlAnalysis, target: str = catalog.TARGET_VERSION) -> LiteralEdit:
    """`/me` -> `/v3.1/me`: insert the version before the `me` segment."""
    start, _ = analysis.segment_spans[0]
    source, offset, _ = _chars(analysis.template, start, start + 1)
    return LiteralEdit(source, offset, offset, f"{target}/")


def record_type_edit(analysis: UrlAnalysis, start: int, end: int) -> LiteralEdit:
    return replace(analysis.template, start, end, catalog.events().v3_resource)
