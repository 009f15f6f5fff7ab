"""URL templates: the value of a string expression, with holes, that remembers its source.

A template is a sequence of parts. A `Lit` is text that came from one string literal of the
scanned code (and knows which literal and where in its value); a `Hole` is a value the
resolver could not know statically (a variable ID, a parameter, a call result). Rules match
templates as flat text in which each hole is the single character HOLE, and map any matched
character back to the literal that holds it, so a finding or a fix can name that literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, List, Optional, Tuple, Union

if TYPE_CHECKING:  # types only: a template is plain text with sources, it needs no parser
    import libcst as cst

    from linter.syntax.module import ModuleInfo

HOLE = "\ue000"


@dataclass(frozen=True)
class LiteralSource:
    """Where literal text came from: a string node of a module, and the offset of the text's
    first character within that node's evaluated value."""

    module: ModuleInfo
    node: Union[cst.SimpleString, cst.FormattedStringText]
    offset: int
    unit: Optional[Union[cst.SimpleString, cst.FormattedString]] = None  # the literal as written

    @property
    def literal(self) -> cst.CSTNode:
        return self.unit if self.unit is not None else self.node


@dataclass(frozen=True)
class Lit:
    text: str
    source: Optional[LiteralSource] = None


@dataclass(frozen=True)
class Hole:
    """An unknown value. `param` names the unresolved function parameter it stands for,
    as (function key, parameter name), so a function that joins a parameter to a Clever
    base can be recognised."""

    label: str = ""
    param: Optional[Tuple[object, str]] = None
    origin: Optional[Tuple[object, object]] = None  # (expression, scope) it stands for


Part = Union[Lit, Hole]


class Template:
    __slots__ = ("parts", "_flat", "_index")

    def __init__(self, parts: Iterable[Part] = ()):
        merged: List[Part] = []
        for part in parts:
            if isinstance(part, Lit) and not part.text:
                continue
            merged.append(part)
        self.parts: Tuple[Part, ...] = tuple(merged)
        self._flat: Optional[str] = None
        self._index: Optional[List[Tuple[int, int]]] = None

    @classmethod
    def hole(
        cls, label: str = "", param: Optional[Tuple[object, str]] = None, origin: Optional[Tuple[object, object]] = None
    ) -> "Template":
        return cls((Hole(label, param, origin),))

    @classmethod
    def literal(cls, text: str, source: Optional[LiteralSource] = None) -> "Template":
        return cls((Lit(text, source),))

    def __add__(self, other: "Template") -> "Template":
        return Template(self.parts + other.parts)

    def __repr__(self) -> str:
        return f"Template({self.display()!r})"

    @property
    def flat(self) -> str:
        """The text with every hole as the single character HOLE."""
        if self._flat is None:
            chunks = []
            index: List[Tuple[int, int]] = []
            for i, part in enumerate(self.parts):
                if isinstance(part, Lit):
                    chunks.append(part.text)
                    index.extend((i, k) for k in range(len(part.text)))
                else:
                    chunks.append(HOLE)
                    index.append((i, 0))
            self._flat = "".join(chunks)
            self._index = index
        return self._flat

    def display(self) -> str:
        return self.flat.replace(HOLE, "{}")

    @property
    def has_literal(self) -> bool:
        return any(isinstance(p, Lit) for p in self.parts)

    @property
    def is_fully_literal(self) -> bool:
        return all(isinstance(p, Lit) for p in self.parts)

    def part_at(self, flat_index: int) -> Tuple[Part, int]:
        """The part holding flat character `flat_index`, and the offset within that part."""
        self.flat  # noqa: B018 - builds the index
        assert self._index is not None
        part_no, offset = self._index[flat_index]
        return self.parts[part_no], offset

    def source_at(self, flat_index: int) -> Optional[Tuple[LiteralSource, int]]:
        """The literal source of one flat character and its offset in that node's value."""
        part, offset = self.part_at(flat_index)
        if isinstance(part, Lit) and part.source is not None:
            return part.source, part.source.offset + offset
        return None

    def slice(self, start: int, end: Optional[int] = None) -> "Template":
        """The sub-template of flat characters [start, end), sources kept."""
        flat = self.flat
        if end is None or end > len(flat):
            end = len(flat)
        if start <= 0 and end >= len(flat):
            return self
        out: List[Part] = []
        pos = 0
        for part in self.parts:
            size = len(part.text) if isinstance(part, Lit) else 1
            lo, hi = max(start, pos), min(end, pos + size)
            if lo < hi:
                if isinstance(part, Lit):
                    a, b = lo - pos, hi - pos
                    src = part.source
                    if src is not None and a:
                        src = LiteralSource(src.module, src.node, src.offset + a, src.unit)
                    out.append(Lit(part.text[a:b], src))
                else:
                    out.append(part)
            pos += size
            if pos >= end:
                break
        return Template(out)


def join(templates: Iterable[Template]) -> Template:
    parts: List[Part] = []
    for template in templates:
        parts.extend(template.parts)
    return Template(parts)


def swap(template: Template, old: str, new: Template) -> Template:
    """`template` with each `old` in its literal parts replaced by `new` (str.replace)."""
    parts: list = []
    for part in template.parts:
        if isinstance(part, Hole) or old not in part.text:
            parts.append(part)
            continue
        pieces = part.text.split(old)
        offset = 0
        for n, piece in enumerate(pieces):
            if n:
                parts.extend(new.parts)
                offset += len(old)
            if piece:
                source = part.source
                moved = (
                    LiteralSource(source.module, source.node, source.offset + offset, source.unit) if source else None
                )
                parts.append(Lit(piece, moved))
            offset += len(piece)
    return Template(parts)
