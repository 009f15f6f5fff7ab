"""linter.walk: the read-only traversal must show visitors what LibCST's own `visit` shows."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from linter.walk import children, walk, walk_all

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "linter" / "project.py",
    ROOT / "linter" / "rules" / "events.py",
    ROOT / "examples" / "roster_sync" / "rostering" / "client.py",
    Path(cst.__file__).parent / "_nodes" / "expression.py",
]
SNIPPET = '''\
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
'''


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


@pytest.mark.parametrize("prune", [(), (cst.FunctionDef,), (cst.Call, cst.ClassDef)])
def test_walk_shows_what_visit_shows(prune):
    for module in modules():
        theirs, ours = Recorder(prune), Recorder(prune)
        module.visit(theirs)
        walk(module, ours)
        assert ours.events == theirs.events


def test_one_walk_for_several_visitors_shows_each_what_its_own_walk_shows():
    for module in modules():
        alone = [Recorder(), Recorder((cst.FunctionDef,)), Recorder((cst.Attribute,))]
        for visitor in alone:
            walk(module, visitor)
        together = [Recorder(), Recorder((cst.FunctionDef,)), Recorder((cst.Attribute,))]
        walk_all(module, together)
        assert [v.events for v in together] == [v.events for v in alone]
        assert len(together[0].events) > len(together[1].events) > 0
