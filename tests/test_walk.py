"""linter.syntax.walk: the read-only traversal must show visitors what LibCST's own `visit` shows."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from linter.rules.context import ModuleContext, ScopedVisitor, walk_together
from linter.syntax.module import ModuleInfo
from linter.syntax.walk import _LAYOUT_BASES, Preorder, children, content_children, walk

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "linter" / "syntax" / "project.py",
    ROOT / "linter" / "rules" / "events.py",
    ROOT / "examples" / "roster_sync" / "rostering" / "client.py",
    Path(cst.__file__).parent / "_nodes" / "expression.py",
]
SNIPPET = """\
async def f(a, /, b: int = 1, *args, c, **kw) -> "T":
    async with x as (y, z):
        return [i async for i in g() if i] or {k: v for k, v in d.items()}
match p:
    case {"type": "students.created", **rest} if rest:
        print(f"{a!r:>{w}} {b=}")
    case [1, *others] | Point(x=0):
        lambda q=1: (yield)
try:
    del a[1:2, ::3]
except* (E1, E2) as e:
    raise X from e
"""


def modules():
    out = [cst.parse_module(SNIPPET)]
    out += [cst.parse_module(path.read_bytes()) for path in SOURCES]
    return out


def every_node(module):
    stack = [module]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


class Recorder(cst.CSTVisitor):
    """Records every hook call; declines the children of the node classes in `prune`."""

    def __init__(self, prune=()):
        super().__init__()
        self.events = []
        self.prune = prune

    def on_visit(self, node):
        self.events.append(("visit", id(node)))
        return not isinstance(node, self.prune)

    def on_leave(self, original_node):
        self.events.append(("leave", id(original_node)))


def test_children_are_libcst_children_in_order():
    count = 0
    for module in modules():
        for node in every_node(module):
            assert children(node) == list(node.children), type(node).__name__
            count += 1
    assert count > 10_000


def test_content_children_are_libcst_children_but_layout():
    layout = 0
    for module in modules():
        for node in every_node(module):
            expected = [c for c in node.children if not isinstance(c, _LAYOUT_BASES)]
            assert content_children(node) == expected, type(node).__name__
            layout += len(node.children) - len(expected)
            # a layout node holds nothing but layout: leaving it out loses no content
            if isinstance(node, _LAYOUT_BASES):
                assert all(isinstance(d, _LAYOUT_BASES) for d in every_node(node)), type(node).__name__
    assert layout > 10_000


@pytest.mark.parametrize("prune", [(), (cst.FunctionDef,), (cst.Call, cst.ClassDef)])
def test_walk_shows_what_visit_shows_but_layout(prune):
    for module in modules():
        theirs, ours = Recorder(prune), Recorder(prune)
        module.visit(theirs)
        walk(module, ours)
        layout = {id(node) for node in every_node(module) if isinstance(node, _LAYOUT_BASES)}
        assert ours.events == [event for event in theirs.events if event[1] not in layout]
        # the listed walk (the collector's and the node rules') shows the same, without recursion
        listed = Recorder(prune)
        Preorder(module).visit(listed)
        assert listed.events == ours.events


def test_a_listed_walk_needs_no_recursion():
    import sys

    deep = cst.parse_module("x = " + "[" * 400 + "]" * 400 + "\n")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        with pytest.raises(RecursionError):
            walk(deep, Recorder())  # the recursive walk, under a limit of 300 frames
        order = Preorder(deep)
        recorder = Recorder()
        order.visit(recorder)
    finally:
        sys.setrecursionlimit(limit)
    assert order.ends[0] == len(order.nodes) and len(order.nodes) > 800
    assert len(recorder.events) == 2 * len(order.nodes)


class Recording(ScopedVisitor):
    def __init__(self, context):
        super().__init__(context)
        self.events = []


class Scoped(Recording):
    """Records the scope each Name and Call is seen in, and the leaves of calls."""

    def visit_Name(self, node):
        self.events.append(("name", node.value, self.scope.name))

    def visit_Call(self, node):
        self.events.append(("call", id(node), self.scope.name))

    def leave_Call(self, original_node):
        self.events.append(("left", id(original_node), self.scope.name))


class Strings(Recording):
    def visit_SimpleString(self, node):
        self.events.append(("string", node.value, self.scope.name))


class Declines(Recording):
    def visit_FunctionDef(self, node):
        return False


def test_scoped_visitors_share_one_walk_and_each_sees_its_own_walk():
    for path in SOURCES:
        info = ModuleInfo(path, str(path), path.read_bytes())
        context = ModuleContext(info, None, lambda node: None, lambda module: False)
        alone = [Scoped(context), Strings(context)]
        for visitor in alone:
            walk(info.module, visitor)
        together = [Scoped(context), Strings(context)]
        walk_together(info, together)
        assert [v.events for v in together] == [v.events for v in alone]
        assert any(scope not in (None, "") for _, _, scope in together[0].events)
        with pytest.raises(TypeError):
            walk_together(info, [Scoped(context), Declines(context)])
