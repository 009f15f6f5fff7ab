"""The literal floor as a property (issue 28, point 3): for every realistic case, moving each of
its reported v2 literals into another place a literal can stand (the argument of a call the
tool does not know, a decorator's argument, an enum member, a class attribute) never shrinks
the set of literals `check` reports at medium or above.

A literal is known by its file and its text; a literal counts as reported when a finding at
medium or above starts inside it. The transformations keep the program's meaning where they can
(`Endpoint(L)` stands for a wrapper class; `_Paths.P0.value` is the enum member's value), so what
the literal shows is unchanged: only where it stands moves."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Callable, Dict, List, Set, Tuple

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from linter.api import Options, lint_paths
from linter.model import Confidence

ROOT = Path(__file__).resolve().parent / "realistic"
CASES = sorted(p.name for p in ROOT.iterdir() if (p / "project").is_dir())

Literal = Tuple[str, str]  # (file relative to the project, the literal's source text)

# What a literal shows by itself (the floor of issue 28, point 1), written here apart from the
# tool's own catalog: a Clever host with no version or a v1/v2 one, a /v1.x or /v2.x path, a v2
# role path, or a v2 event type. Role names compared with a type, SDK method names in mock
# targets and the like are found from the code around them, which the moves change.
ROLES = r"(students|teachers|school_admins|district_admins|contacts)"
SHOWS_V2 = re.compile(
    r"clever\.com(?!/v3)(/|$|\?)|"
    r"^/?v[12]\.\d(/|$)|"
    rf"(^|/){ROLES}(/|$|\?)|"
    rf"^{ROLES[:-1]}|student|teacher|school_admin|district_admin|contact)\.(created|updated|deleted)$"
)


def _strings(source: str) -> List[Tuple[cst.SimpleString, int, int, int, int]]:
    """Every plain string literal of a module that is not a docstring, with its range."""
    wrapper = MetadataWrapper(cst.parse_module(source))
    positions = wrapper.resolve(PositionProvider)
    out = []

    class Visitor(cst.CSTVisitor):
        def visit_Expr(self, node: cst.Expr) -> bool:
            return not isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString))

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            if "b" not in node.prefix.lower():
                r = positions[node]
                out.append((node, r.start.line, r.start.column + 1, r.end.line, r.end.column + 1))

    wrapper.visit(Visitor())
    return out


def reported(project: Path) -> Set[Literal]:
    result = lint_paths([str(project)], Options(cache=False, min_confidence=Confidence.MEDIUM))
    starts: Dict[str, List[Tuple[int, int]]] = {}
    for finding in result.findings:
        name = Path(finding.path)
        rel = str(name.relative_to(project)) if name.is_absolute() else finding.path
        starts.setdefault(rel, []).append((finding.span.line, finding.span.column))
    out: Set[Literal] = set()
    for rel, points in starts.items():
        path = project / rel
        if path.suffix != ".py" or not path.is_file():
            continue
        try:
            strings = _strings(path.read_text(encoding="utf-8"))
        except cst.ParserSyntaxError:
            continue  # reported as unparsable, and never moved
        for node, line, column, end_line, end_column in strings:
            if any((line, column) <= point < (end_line, end_column) for point in points):
                out.add((rel, node.value))
    return out


def _value(text: str) -> str:
    node = cst.parse_expression(text)
    value = node.evaluated_value if isinstance(node, cst.SimpleString) else None
    return value if isinstance(value, str) else ""


class _Move(cst.CSTTransformer):
    """Replaces each string literal whose text is in `texts` by `replace(index, node)`; the
    definitions the replacements need are put after the module's imports."""

    def __init__(self, texts: Set[str], replace: Callable[[int, cst.SimpleString], cst.BaseExpression]):
        self.texts = texts
        self.replace = replace
        self.moved: List[cst.SimpleString] = []
        self.depth = 0

    def visit_Expr(self, node: cst.Expr) -> bool:
        return not isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString))

    def leave_SimpleString(self, original_node, updated_node):
        if updated_node.value not in self.texts:
            return updated_node
        self.moved.append(updated_node)
        return self.replace(len(self.moved) - 1, updated_node)


def _after_imports(module: cst.Module, code: str) -> cst.Module:
    body = list(module.body)
    index = 0
    while index < len(body) and (
        isinstance(body[index], cst.SimpleStatementLine)
        and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in body[index].body)
        or (
            isinstance(body[index], cst.SimpleStatementLine)
            and isinstance(body[index].body[0], cst.Expr)
            and isinstance(body[index].body[0].value, cst.SimpleString)
        )
    ):
        index += 1
    return module.with_changes(body=body[:index] + list(cst.parse_module(code).body) + body[index:])


def _unknown_call(module: cst.Module, texts: Set[str]) -> cst.Module:
    mover = _Move(texts, lambda i, node: cst.parse_expression(f"Endpoint({node.value})"))
    moved = module.visit(mover)
    return _after_imports(moved, "class Endpoint(str):\n    pass\n") if mover.moved else module


def _enum_member(module: cst.Module, texts: Set[str]) -> cst.Module:
    mover = _Move(texts, lambda i, node: cst.parse_expression(f"_Paths.P{i}.value"))
    moved = module.visit(mover)
    if not mover.moved:
        return module
    members = "".join(f"    P{i} = {node.value}\n" for i, node in enumerate(mover.moved))
    return _after_imports(moved, f"import enum\n\n\nclass _Paths(enum.Enum):\n{members}")


def _class_attribute(module: cst.Module, texts: Set[str]) -> cst.Module:
    mover = _Move(texts, lambda i, node: cst.parse_expression(f"_Holder.P{i}"))
    moved = module.visit(mover)
    if not mover.moved:
        return module
    members = "".join(f"    P{i} = {node.value}\n" for i, node in enumerate(mover.moved))
    return _after_imports(moved, f"class _Holder:\n{members}")


def _decorator(module: cst.Module, texts: Set[str]) -> cst.Module:
    # the literal is given to a decorator that registers it; the use reads it back
    mover = _Move(texts, lambda i, node: cst.parse_expression(f"_REGISTERED[{i}]"))
    moved = module.visit(mover)
    if not mover.moved:
        return module
    stubs = "".join(f"@_register({node.value})\ndef _stub_{i}():\n    pass\n\n\n" for i, node in enumerate(mover.moved))
    code = (
        "_REGISTERED = []\n\n\ndef _register(url):\n    _REGISTERED.append(url)\n"
        "    return lambda function: function\n\n\n" + stubs
    )
    return _after_imports(moved, code)


FORMS = {
    "unknown call": _unknown_call,
    "enum member": _enum_member,
    "class attribute": _class_attribute,
    "decorator": _decorator,
}


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("case", CASES)
def test_moving_a_reported_literal_never_loses_it(case, form, tmp_path):
    project = tmp_path / "before"
    shutil.copytree(ROOT / case / "project", project)
    before = {(rel, text) for rel, text in reported(project) if SHOWS_V2.search(_value(text))}
    if not before:
        pytest.skip("no literal reported at medium or above")
    after_project = tmp_path / "after"
    shutil.copytree(project, after_project)
    by_file: Dict[str, Set[str]] = {}
    for rel, text in before:
        by_file.setdefault(rel, set()).add(text)
    for rel, texts in by_file.items():
        path = after_project / rel
        module = cst.parse_module(path.read_text(encoding="utf-8"))
        path.write_text(FORMS[form](module, texts).code, encoding="utf-8")
    after = reported(after_project)
    before = {(rel, text) for rel, text in before}
    lost = sorted(before - after)
    assert lost == [], f"{form}: literals no longer reported: {lost}"
