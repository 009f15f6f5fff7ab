"""Suppression comments: `# noqa`, `# noqa: CLV301, CLV310` and
`# clever-upgrade: ignore[CLV301]`, on the first or last line of the flagged code, and
`# clever-upgrade: skip-file` on a line of its own, anywhere in a file: every finding of that
file is suppressed (and so never fixed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Tuple

from linter import selection
from linter.model import Confidence, Finding, Span
from linter.rules.files import UNUSED_SUPPRESSION

NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*))?", re.IGNORECASE)
_IGNORE = re.compile(r"#\s*clever-upgrade:\s*ignore\[(?P<codes>[^\]]*)\]", re.IGNORECASE)
_SKIP_FILE = re.compile(r"^[ \t]*#\s*clever-upgrade:\s*skip[-_]file\s*$", re.IGNORECASE | re.MULTILINE)


def skips_file(text: str) -> bool:
    return "skip" in text and _SKIP_FILE.search(text) is not None


@dataclass(frozen=True)
class Directive:
    line: int
    column: int
    codes: Optional[FrozenSet[str]]  # None: every code (a bare noqa comment)
    ours: bool  # names a CLV code or is a clever-upgrade comment (bare noqa may be another linter's)

    def covers(self, code: str) -> bool:
        return self.codes is None or selection.matches(code, self.codes)


def directives(text: str) -> Dict[int, List[Directive]]:
    found: Dict[int, List[Directive]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "#" not in line:
            continue
        for match in _IGNORE.finditer(line):
            codes = frozenset(c.strip().upper() for c in match.group("codes").split(",") if c.strip())
            found.setdefault(number, []).append(Directive(number, match.start() + 1, codes or None, True))
        for match in NOQA.finditer(line):
            raw = match.group("codes")
            codes = frozenset(c.strip().upper() for c in raw.split(",")) if raw else None
            ours = codes is not None and any(c.startswith("CLV") for c in codes)
            found.setdefault(number, []).append(Directive(number, match.start() + 1, codes, ours))
    return found


def logical_lines(text: str) -> Dict[int, Tuple[int, int]]:
    """Physical line -> (first, last) physical line of the statement that holds it."""
    import io
    import tokenize

    skip = (tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
    spans: Dict[int, Tuple[int, int]] = {}
    first: Optional[int] = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            if first is None and token.type not in skip:
                first = token.start[0]
            elif token.type == tokenize.NEWLINE and first is not None:
                for line in range(first, token.start[0] + 1):
                    spans[line] = (first, token.start[0])
                first = None
    except (tokenize.TokenError, SyntaxError):
        pass  # only the finding's own lines then
    return spans


def _unknown_codes(per_file: Dict[str, Dict[int, List[Directive]]]) -> List[Finding]:
    """A CLV code in a suppression comment that names no rule (`# noqa: CLV3O1`) suppresses
    nothing, silently: it is a finding. Other tools' codes (E501) are theirs."""
    from linter.rules.codes import CODES

    out: List[Finding] = []
    for path, table in per_file.items():
        for line, items in table.items():
            for directive in items:
                ours = sorted(c for c in directive.codes or () if selection.is_rule_code(c))
                for code in selection.unknown(ours, CODES):
                    out.append(
                        UNUSED_SUPPRESSION.finding(
                            path,
                            Span(line, directive.column, line, directive.column),
                            f"suppression comment names {code!r}, which is no clever-upgrade rule code or prefix "
                            "(see `clever-upgrade rules`): it suppresses nothing",
                            Confidence.HIGH,
                        )
                    )
    return out


def apply(
    findings: List[Finding], texts: Dict[str, str], report_unused: bool = False
) -> Tuple[List[Finding], List[Finding], List[Finding]]:
    """(kept, suppressed, unused-suppression findings)."""
    per_file = {path: directives(text) for path, text in texts.items()}
    skipped = {path for path, text in texts.items() if skips_file(text)}
    statements: Dict[str, Dict[int, Tuple[int, int]]] = {}
    used = set()
    kept: List[Finding] = []
    suppressed: List[Finding] = []
    for finding in findings:
        if finding.path in skipped:
            suppressed.append(finding)
            continue
        table = per_file.get(finding.path, {})
        hit = None
        lines = {finding.span.line, finding.span.end_line}
        if table and finding.path.endswith(".py"):
            if finding.path not in statements:
                statements[finding.path] = logical_lines(texts[finding.path])
            lines |= set(statements[finding.path].get(finding.span.line, ()))
        for line in sorted(lines):
            for directive in table.get(line, ()):
                if directive.covers(finding.code):
                    hit = directive
                    break
            if hit:
                break
        if hit is None:
            kept.append(finding)
        else:
            used.add((finding.path, hit.line, hit.column))
            suppressed.append(finding)
    unused: List[Finding] = _unknown_codes(per_file)
    if report_unused:
        for path, table in per_file.items():
            for line, items in table.items():
                for directive in items:
                    if directive.ours and (path, line, directive.column) not in used:
                        unused.append(
                            UNUSED_SUPPRESSION.finding(
                                path,
                                Span(line, directive.column, line, directive.column),
                                "unused suppression comment: it suppresses no clever-upgrade finding",
                                Confidence.HIGH,
                            )
                        )
    suppressed.sort(key=lambda f: f.sort_key)
    return kept, suppressed, unused
