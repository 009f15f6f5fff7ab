"""Applying edits to one file's bytes: only the edited ranges change, the result must parse.

The source is decoded the way LibCST (and Python) decode it: the PEP 263 coding cookie, a
UTF-8 BOM; it is encoded back the same way, so encoding, BOM and line endings are preserved
byte for byte outside the edits."""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from linter.model import Edit
from linter.source.files import python_syntax
from linter.syntax.module import line_starts, parse


class RewriteError(Exception):
    """The file is left as it is; the message says why."""


def apply_edits(source: bytes, edits: Sequence[Edit], checked=None) -> Tuple[bytes, int]:
    """The rewritten bytes and how many edits were applied (overlapping ones are skipped).
    `checked`: (LibCST's tree, the text it is of) where the caller has it from the check, else
    `source` is parsed here. The text is `source`, or `source` with statements left out of the
    parse (blanked, linter.source.statements): then the edits are made to both, the rewritten
    blanked text must parse and keep its tokens as usual, and Python's parser must accept the
    whole rewritten file."""
    module, parsed = checked if checked is not None else (None, source)
    if module is None:
        try:
            module = parse(source)
        except Exception as exc:  # noqa: BLE001 - any parse failure means: do not touch the file
            raise RewriteError(f"the file does not parse ({type(exc).__name__})") from None
    encoding = module.encoding
    text = parsed.decode(encoding)
    blanked = parsed is not source and parsed != source
    if text != module.code:
        if blanked:
            return apply_edits(source, edits)  # the blanked text does not come back: parse the file
        raise RewriteError("the file's text could not be mapped back to its bytes")
    whole = source.decode(encoding) if blanked else text  # the file's own text, edited alongside
    if len(whole) != len(text):
        return apply_edits(source, edits)  # blanked text that does not line up: parse the file
    starts = line_starts(text)

    def offset(line: int, column: int) -> int:
        if line - 1 >= len(starts):
            raise RewriteError("an edit lies outside the file")
        return starts[line - 1] + column - 1

    ranges = sorted(
        {
            (offset(e.span.line, e.span.column), offset(e.span.end_line, e.span.end_column), e.replacement)
            for e in edits
        },
        reverse=True,
    )
    applied = 0
    limit = len(text) + 1
    original = text
    done: List[Tuple[int, int, str]] = []
    for start, end, replacement in ranges:
        if end > limit or start > end:
            continue  # overlaps an edit already applied
        if blanked:
            if whole[start:end] != text[start:end]:
                return apply_edits(source, edits)  # an edit in a blanked statement: parse the file
            whole = whole[:start] + replacement + whole[end:]
        text = text[:start] + replacement + text[end:]
        limit = start
        applied += 1
        done.append((start, end, replacement))
    if not blanked:
        whole = text
    old_ranges = [(start, end) for start, end, _ in done]
    new_ranges = []
    shift = 0
    for start, end, replacement in sorted(done):
        new_ranges.append((start + shift, start + shift + len(replacement)))
        shift += len(replacement) - (end - start)
    try:
        result = whole.encode(encoding)
        parsed_result = text.encode(encoding) if blanked else result
    except UnicodeEncodeError:
        raise RewriteError(f"the new text cannot be written in the file's encoding ({encoding})") from None
    try:
        parse(parsed_result)  # LibCST's parse, validated where Python's own parser refuses the text
    except Exception:  # noqa: BLE001 - whatever fails to parse is refused
        raise RewriteError("the rewritten file would not parse; it was left as it was") from None
    if blanked and python_syntax(result) is None:
        raise RewriteError("the rewritten file would not parse; it was left as it was")
    if _tokens_outside(original, old_ranges) != _tokens_outside(text, new_ranges):
        raise RewriteError("the rewrite would change code outside the edited literals; it was left as it was")
    return result, applied


def _tokens_outside(text: str, ranges: List[Tuple[int, int]]) -> Optional[List[Tuple[int, str]]]:
    """The tokens of `text` that do not touch any of `ranges` (character offsets): after a
    rewrite they must be exactly those of the original, whatever the edits were."""
    import io
    import tokenize

    starts = line_starts(text)
    try:
        out = []
        for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            begin = starts[token.start[0] - 1] + token.start[1] if token.start[0] - 1 < len(starts) else len(text)
            finish = starts[token.end[0] - 1] + token.end[1] if token.end[0] - 1 < len(starts) else len(text)
            if any(begin <= end and start <= finish for start, end in ranges):
                continue
            out.append((token.type, token.string))
        return out
    except (tokenize.TokenError, SyntaxError):
        return None
