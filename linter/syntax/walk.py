"""A read-only traversal of LibCST trees, several times faster than `node.visit(visitor)`.

`CSTNode.visit` rebuilds every node it passes (each `_visit_and_replace_children` calls the
node's constructor, with its validation), which made the visits most of a run's time. Our
visitors only read, so `walk` calls the same `on_visit`/`on_leave` hooks (and through them the
visitor's `visit_<Node>`/`leave_<Node>` methods) on the same nodes, in the same order, without
building anything, and without the layout nodes (whitespace, comments, punctuation and
operator tokens: six nodes in ten, which no analysis of ours reads). The child fields of each
node class, in lexical order, are read once from the class's own `_visit_and_replace_children`
(the order LibCST visits them in); tests/test_walk.py checks `children` and `content_children`
against LibCST's `node.children` over real modules, and `walk` against `node.visit`."""

from __future__ import annotations

import inspect
import re
from array import array
from typing import Dict, List, Optional, Tuple

import libcst as cst

from linter.syntax import shortcuts

_FIELD = re.compile(r'visit_\w+\(\s*self,\s*"(\w+)"')
_ORDER: Dict[type, Optional[Tuple[str, ...]]] = {}


def _fields(cls: type) -> Optional[Tuple[str, ...]]:
    """The child fields of a node class in visiting order; None when they cannot be read (the
    node's own `children` is used then)."""
    try:
        return _ORDER[cls]
    except KeyError:
        pass
    if not shortcuts.ENABLED:
        _ORDER[cls] = None
        return None
    try:
        source = inspect.getsource(cls._visit_and_replace_children)
    except (OSError, TypeError):
        fields = None
    else:
        found = _FIELD.findall(source)
        if found or "return self" in source:
            fields = tuple(dict.fromkeys(found))
        else:
            fields = None
    _ORDER[cls] = fields
    return fields


_IS_NODE: Dict[type, bool] = {}  # isinstance on LibCST's abstract classes is slow: once per type


def _is_node(kind: type) -> bool:
    try:
        return _IS_NODE[kind]
    except KeyError:
        _IS_NODE[kind] = result = issubclass(kind, cst.CSTNode)
        return result


def _select(node: cst.CSTNode, keep) -> List[cst.CSTNode]:
    """The children of `node` in visiting order whose class `keep` accepts."""
    fields = _fields(type(node))
    if fields is None:
        return [child for child in node.children if keep(type(child))]
    out = []
    for name in fields:
        value = getattr(node, name)
        kind = type(value)
        if kind is tuple or kind is list:
            out.extend(item for item in value if keep(type(item)))
        elif keep(kind):
            out.append(value)
    return out


def children(node: cst.CSTNode) -> List[cst.CSTNode]:
    return _select(node, _is_node)


# Nodes that hold only layout: whitespace, comments, newlines, and the punctuation and operator
# tokens, whose own children are whitespace. They are most of a tree's nodes (six in ten in
# ordinary code) and no analysis of ours reads them: the walks below leave them out.
_LAYOUT_BASES = (
    cst.BaseParenthesizableWhitespace,
    cst.EmptyLine,
    cst.TrailingWhitespace,
    cst.Newline,
    cst.Comment,
    cst.Comma,
    cst.Dot,
    cst.Colon,
    cst.Semicolon,
    cst.AssignEqual,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.BaseBinaryOp,
    cst.BaseBooleanOp,
    cst.BaseCompOp,
    cst.BaseUnaryOp,
    cst.BaseAugOp,
    cst.Asynchronous,
    cst.ImportStar,
)
_IS_CONTENT: Dict[type, bool] = {}  # a node class the analysis walks into (not layout)


def _is_content(kind: type) -> bool:
    try:
        return _IS_CONTENT[kind]
    except KeyError:
        _IS_CONTENT[kind] = result = issubclass(kind, cst.CSTNode) and not issubclass(kind, _LAYOUT_BASES)
        return result


def _may_hold_content(annotation) -> bool:
    """Whether a field declared with this type can hold a node the analysis walks: False only
    when every type it names is layout or no node at all (MaybeSentinel, str, None)."""
    import typing

    args = typing.get_args(annotation)
    if args:  # Union[...], Optional[...], Sequence[...]
        return any(_may_hold_content(arg) for arg in args)
    if not isinstance(annotation, type):
        return True  # a forward reference or another typing form: read the field
    if issubclass(annotation, cst.CSTNode):
        return not issubclass(annotation, _LAYOUT_BASES)
    return annotation in (list, tuple, object)


_CONTENT_FIELDS: Dict[type, Optional[Tuple[str, ...]]] = {}


def _content_fields(cls: type) -> Optional[Tuple[str, ...]]:
    """The child fields of a node class that can hold content, in visiting order (None: read
    the node's own children). A field whose declared type is layout only (`lpar`, `comma`,
    `whitespace_after_func`) is never read."""
    try:
        return _CONTENT_FIELDS[cls]
    except KeyError:
        pass
    fields = _fields(cls)
    if fields is not None:
        import typing

        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # noqa: BLE001 - unreadable annotations: every field is read
            hints = {}
        fields = tuple(name for name in fields if name not in hints or _may_hold_content(hints[name]))
    _CONTENT_FIELDS[cls] = fields
    return fields


def prepare() -> None:
    """Read the fields of every LibCST node class now rather than at first sight (what a
    resident process does once, linter.daemon)."""
    pending = [cst.CSTNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        _content_fields(cls)
        _is_content(cls)
        _is_node(cls)


def content_children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """`children(node)` without the layout nodes (whitespace, comments, punctuation): what the
    analysis walks. tests/test_walk.py checks it against LibCST's `node.children`."""
    cls = type(node)
    fields = _CONTENT_FIELDS.get(cls, False)
    if fields is False:
        fields = _content_fields(cls)
    if fields is None:
        return [child for child in node.children if _is_content(type(child))]
    known = _IS_CONTENT
    out = []
    for name in fields:
        value = getattr(node, name)
        kind = type(value)
        if kind is tuple or kind is list:
            for item in value:
                wanted = known.get(type(item))
                if wanted is None:
                    wanted = _is_content(type(item))
                if wanted:
                    out.append(item)
        else:
            wanted = known.get(kind)
            if wanted is None:
                wanted = _is_content(kind)
            if wanted:
                out.append(value)
    return out


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """Visit `node` and its descendants with `visitor`, as `node.visit(visitor)` would, but for
    the layout nodes (whitespace, comments, punctuation), which are left out."""
    if visitor.on_visit(node):
        for child in content_children(node):
            walk(child, visitor)
    visitor.on_leave(node)


class Preorder:
    """The nodes `walk` visits, listed once in visiting order: `nodes[i]`'s descendants are
    `nodes[i + 1 : ends[i]]`. A module's analysis walks its tree several times (the collector,
    the node rules, a position lookup); listing it once spares each later walk the reading of
    every node's fields, and the walks need no recursion, however deep the tree."""

    __slots__ = ("nodes", "ends")

    def __init__(self, root: cst.CSTNode) -> None:
        nodes: List[cst.CSTNode] = []
        ends = array("l")
        pending: list = [root]  # nodes to list, and the index of a listed node whose subtree ends
        while pending:
            item = pending.pop()
            if type(item) is int:
                ends[item] = len(nodes)
                continue
            pending.append(len(nodes))
            nodes.append(item)
            ends.append(0)
            kids = content_children(item)
            kids.reverse()
            pending.extend(kids)
        self.nodes = nodes
        self.ends = ends

    def visit(self, visitor: cst.CSTVisitor) -> None:
        """What `walk(root, visitor)` does: on_visit and on_leave of every node in the same
        order (a visit returning False skips the node's descendants)."""
        nodes, ends = self.nodes, self.ends
        on_visit, on_leave = visitor.on_visit, visitor.on_leave
        open_: List[Tuple[int, cst.CSTNode]] = []  # (end, node) of the nodes not yet left
        index, count = 0, len(nodes)
        while index < count:
            while open_ and open_[-1][0] <= index:
                on_leave(open_.pop()[1])
            node = nodes[index]
            end = ends[index]
            open_.append((end, node))
            index = index + 1 if on_visit(node) else end
        while open_:
            on_leave(open_.pop()[1])
