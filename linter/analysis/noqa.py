"""`check --add-noqa`: a `# noqa: CODE` comment on every remaining finding, so that a codebase
can adopt the gate now and migrate later (as ruff's --add-noqa). The comment goes on the last
line of the statement that holds the finding (where a comment may stand, and where
linter.analysis.suppress looks), merged with a noqa comment already there; a line inside a
multi-line string is never touched. Each file is rewritten whole, and only when it still parses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Set, Tuple

from linter.analysis.suppress import NOQA, logical_lines
from linter.model import Finding

_NOQA_AT_END = re.compile(NOQA.pattern + r"\s*$", re.IGNORECASE)  # the comment this module merges into
# where a trailing `#` comment is a comment; .ini/.cfg/.env readers may keep it as part of the
# value (configparser does), and JSON has no comments: use per-file-ignores for those
COMMENT_FILES = (".py", ".toml", ".yaml", ".yml")


def with_noqa(line: str, codes: Set[str]) -> str:
    """`line` (without its ending) with `# noqa: CODES` at its end, merged with a noqa comment
    already there; unchanged when a bare `# noqa` covers every code already."""
    existing = _NOQA_AT_END.search(line)
    if existing is not None and existing.group("codes") is None:
        return line
    if existing is not None:
        codes = set(codes) | {c.strip().upper() for c in existing.group("codes").split(",")}
        line = line[: existing.start()].rstrip()
    return f"{line}  # noqa: {', '.join(sorted(codes))}"


def add_noqa(findings: List[Finding]) -> Tuple[Dict[str, int], Dict[str, str]]:
    """Write the comments: ({path: comments added}, {path: why it was left alone})."""
    from linter.source.files import replace_file

    by_path: Dict[str, List[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    added: Dict[str, int] = {}
    skipped: Dict[str, str] = {}
    for path, items in sorted(by_path.items()):
        target = Path(path)
        if not path.endswith(COMMENT_FILES):
            skipped[path] = "a trailing comment is not safe in this kind of file: use per-file-ignores"
            continue
        try:
            text = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            skipped[path] = f"cannot read it ({exc})"
            continue
        lines = text.splitlines(keepends=True)
        statements = logical_lines(text) if path.endswith(".py") else {}
        wanted: Dict[int, Set[str]] = {}
        for finding in items:
            last = statements.get(finding.span.line, (finding.span.line, finding.span.end_line))[1]
            wanted.setdefault(max(last, finding.span.end_line), set()).add(finding.code)
        for number, codes in wanted.items():
            if number > len(lines):
                continue
            line = lines[number - 1]
            body = line.rstrip("\r\n")
            lines[number - 1] = with_noqa(body, codes) + line[len(body) :]
        new = "".join(lines)
        if path.endswith(".py"):
            import ast

            try:
                ast.parse(new)
            except SyntaxError:
                skipped[path] = "a comment there would break the file (a finding inside a multi-line string?)"
                continue
        try:
            replace_file(target, new.encode("utf-8"))
        except OSError as exc:
            skipped[path] = f"cannot write it ({exc.strerror or exc})"
            continue
        added[path] = len(wanted)
    return added, skipped
