"""Applying edits to one file's bytes: only the edited ranges change, the result must parse.

The source is decoded the way LibCST (and Python) decode it: the PEP 263 coding cookie, a
UTF-8 BOM; it is encoded back the same way, so encoding, BOM and line endings are preserved
byte for byte outside the edits."""

from __future__ import annotations

import re
from typing import List, Sequence, Tuple

import libcst as cst

from linter.findings import Edit

_NEWLINE = re.compile(r"\r\n|\r|\n")


class RewriteError(Exception):
    """The file is left as it is; the message says why."""


def _offsets(text: str) -> List[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


def apply_edits(source: bytes, edits: Sequence[Edit]) -> Tuple[bytes, int]:
    """The rewritten bytes and how many edits were applied (overlapping ones are skipped)."""
    try:
        module = cst.parse_module(source)
    except Exception as exc:  # noqa: BLE001 - any parse failure means: do not touch the file
        raise RewriteError(f"the file does not parse ({type(exc).__name__})") from None
    encoding = module.encoding
    text = source.decode(encoding)
    if text != module.code:
        raise RewriteError("the file's text could not be mapped back to its bytes")
    starts = _offsets(text)

    def offset(line: int, column: int) -> int:
        if line - 1 >= len(starts):
            raise RewriteError("an edit lies outside the file")
        return starts[line - 1] + column - 1

    ranges = sorted(
        {(offset(e.span.line, e.span.column), offset(e.span.end_line, e.span.end_column), e.replacement) for e in edits},
        reverse=True,
    )
    applied = 0
    limit = len(text) + 1
    for start, end, replacement in ranges:
        if end > limit or start > end:
            continue  # overlaps an edit already applied
        text = text[:start] + replacement + text[end:]
        limit = start
        applied += 1
    try:
        result = text.encode(encoding)
    except UnicodeEncodeError:
        raise RewriteError(f"the new text cannot be written in the file's encoding ({encoding})") from None
    try:
        cst.parse_module(result)
    except Exception:  # noqa: BLE001
        raise RewriteError("the rewritten file would not parse; it was left as it was") from None
    return result, applied
