"""Baselines: adopt the gate on a legacy codebase, report only what is new.

A finding's fingerprint is its path, its code, the normalized source text it flags and its
occurrence index among identical ones in the file, not its line: edits elsewhere in the file
do not change it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Dict, List, Tuple

from linter.model import Finding, UsageError
from linter.source.files import replace_file

VERSION = 1


class BaselineError(UsageError):
    """A baseline file that cannot be read or written."""


def _flagged_text(finding: Finding, lines: List[str]) -> str:
    span = finding.span
    if span.line - 1 >= len(lines):
        return ""
    if span.line == span.end_line:
        text = lines[span.line - 1][span.column - 1 : span.end_column - 1]
    else:
        text = lines[span.line - 1][span.column - 1 :] + "".join(lines[span.line : span.end_line - 1])
    return re.sub(r"\s+", " ", text).strip()


def fingerprints(findings: List[Finding], texts: Dict[str, str]) -> Dict[Tuple, str]:
    """finding.key -> fingerprint."""
    seen: Dict[Tuple[str, str, str], int] = {}
    out: Dict[Tuple, str] = {}
    cache: Dict[str, List[str]] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        lines = cache.setdefault(finding.path, texts.get(finding.path, "").splitlines(keepends=True))
        flagged = _flagged_text(finding, lines)
        identity = (finding.path, finding.code, flagged)
        index = seen.get(identity, 0)
        seen[identity] = index + 1
        digest = hashlib.sha256("\0".join([finding.path, finding.code, flagged, str(index)]).encode()).hexdigest()
        out[finding.key] = digest[:32]
    return out


def write(path: Path, findings: List[Finding], texts: Dict[str, str]) -> None:
    prints = fingerprints(findings, texts)
    entries = [
        {"fingerprint": prints[f.key], "path": f.path, "code": f.code, "message": f.message}
        for f in sorted(findings, key=lambda f: f.sort_key)
    ]
    data = (json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n").encode("utf-8")
    try:
        replace_file(path, data)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline ({exc.strerror or exc})") from None


def read(path: Path) -> set:
    if not path.exists():
        raise BaselineError(f"{path}: baseline file not found (write one with --write-baseline)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["fingerprint"] for entry in data["findings"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a clever-upgrade baseline ({type(exc).__name__})") from None


def filter_new(findings: List[Finding], texts: Dict[str, str], known: set) -> Tuple[List[Finding], int, Dict]:
    """(the findings not in the baseline, how many baseline entries matched nothing, prints)."""
    prints = fingerprints(findings, texts)
    new = [f for f in findings if prints[f.key] not in known]
    matched = {prints[f.key] for f in findings} & known
    return new, len(known - matched), prints


def new_findings(findings: List[Finding], texts: Dict[str, str], known: set) -> List[Finding]:
    """The findings that the baseline's fingerprints do not hold."""
    return filter_new(list(findings), texts, known)[0]


def hide_known(result, known: set) -> Tuple[int, int, Dict]:
    """Leave the findings of the baseline out of `result` (a LintResult, changed in place):
    (how many it hid, how many of its entries matched nothing, the shown findings' prints)."""
    kept, stale, prints = filter_new(result.visible, result.texts, known)
    hidden = {f.key for f in result.visible} - {f.key for f in kept}
    result.findings = [f for f in result.findings if f.key not in hidden]
    return len(hidden), stale, prints
