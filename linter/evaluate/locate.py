"""From characters of a resolved template back to a range of the source file that holds them."""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst
from libcst.metadata import CodePosition, CodeRange

from linter.evaluate.resolve import Resolver, evaluate_bytes_text, evaluate_fstring_text, evaluate_simple_string
from linter.evaluate.template import LiteralSource, Template
from linter.model import Span


def _content(node: cst.CSTNode, resolver: Resolver) -> Tuple[str, int, Optional[str]]:
    """The node's source text, where its content starts in it, and its evaluated value."""
    if isinstance(node, cst.SimpleString):
        start = len(node.prefix) + len(node.quote)
        value = evaluate_simple_string(node)
        return node.value, start, value if value is not None else evaluate_bytes_text(node)
    if isinstance(node, cst.FormattedStringText):
        fstring = resolver.fstring_of(node)
        value = evaluate_fstring_text(node.value, fstring) if fstring is not None else None
        return node.value, 0, value
    return "", 0, None


def _advance(line: int, column: int, text: str) -> Tuple[int, int]:
    newlines = text.count("\n")
    if not newlines:
        return line, column + len(text)
    return line + newlines, len(text) - text.rfind("\n") - 1


def _text_position(source: LiteralSource, resolver: Resolver):
    """Where an f-string's literal run starts: the f-string's start plus the code before it
    (no position computation over the whole module)."""
    node = source.node
    fstring = source.unit
    if not isinstance(node, cst.FormattedStringText) or not isinstance(fstring, cst.FormattedString):
        return None
    start = source.module.position(fstring).start
    code = source.module.module.code_for_node
    before = fstring.start
    for part in fstring.parts:
        if part is node:
            break
        before += code(part)
    else:
        return None
    line, column = _advance(start.line, start.column, before)
    end_line, end_column = _advance(line, column, node.value)
    return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))


def literal_span(source: LiteralSource, start: int, end: int, resolver: Resolver) -> Span:
    """The file range of characters [start, end) of a literal node's value. Where the value
    differs from the source text (escapes), the whole literal is the range."""
    module = source.module
    position = _text_position(source, resolver) or module.position(source.node)
    line, column = position.start.line, position.start.column
    text, content_start, value = _content(source.node, resolver)
    raw = text[content_start : content_start + len(value)] if value is not None else None
    if value is None or raw != value or end > len(value):
        return Span(line, column + 1, position.end.line, position.end.column + 1)
    first_line, first_col = _advance(line, column, text[: content_start + start])
    last_line, last_col = _advance(line, column, text[: content_start + end])
    return Span(first_line, first_col + 1, last_line, last_col + 1)


def exact_literal_span(source: LiteralSource, start: int, end: int, resolver: Resolver) -> Optional[Span]:
    """The file range of characters [start, end) of a literal's value, only where the source
    text is the value itself (no escapes), so that an edit there changes exactly them."""
    text, content_start, value = _content(source.node, resolver)
    if value is None or text[content_start : content_start + len(value)] != value or end > len(value):
        return None
    return literal_span(source, start, end, resolver)


def locate(template: Template, start: int, end: int, resolver: Resolver):
    """The literal holding flat character `start`, and the file range from that character to
    the last of [start, end) that lies in the same literal (a string, or one whole f-string;
    holes in between, such as a `%s` that was filled in, are spanned). None for a hole."""
    found = template.source_at(start)
    if found is None:
        return None
    source, first = found
    last_source, last = source, first
    for index in range(start + 1, end):
        other = template.source_at(index)
        if other is None:
            continue
        if other[0].literal is not source.literal:
            break
        last_source, last = other
    span = literal_span(source, first, first + 1, resolver)
    end_span = literal_span(last_source, last, last + 1, resolver)
    return source, Span(span.line, span.column, end_span.end_line, end_span.end_column)
