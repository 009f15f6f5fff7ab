"""`clever-upgrade fix`: apply the fixes the analysis proposes, safely, until nothing changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from linter.api import LintResult, Options, lint_paths
from linter.source.files import WriteError, write_atomic
from linter.model import Edit, Finding
from linter.fix.rewrite import RewriteError, apply_edits

MAX_PASSES = 4


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """ruff-style code selection: prefixes (`CLV3`) or whole codes."""
    if select and not any(code.startswith(s) for s in select):
        return False
    return not any(code.startswith(i) for i in ignore)


@dataclass
class FixReport:
    changed: Dict[str, List[Finding]] = field(default_factory=dict)  # path -> findings fixed
    failed: Dict[str, str] = field(default_factory=dict)  # path -> why it was left alone
    diffs: List[str] = field(default_factory=list)
    remaining: Optional[LintResult] = None

    first: Optional[LintResult] = None  # the analysis before any fix

    @property
    def left(self) -> List[Finding]:
        """What is (or, with --diff, would be) left for a person: the findings of the first
        analysis that no fix took care of. (Taken before the fixes, because some findings
        follow v2 endpoints: once a path is on v3.1, the IDs stored from it are still v2 IDs
        in the database, and the person still has to migrate them.) Fixes only edit inside
        literals on one line, so the line numbers still hold."""
        assert self.first is not None
        fixed = {(f.path, f.span.line, f.code) for found in self.changed.values() for f in found}
        return [f for f in self.first.visible if (f.path, f.span.line, f.code) not in fixed]


def fix_paths(
    paths: Sequence[str],
    options: Options = Options(),
    unsafe: bool = False,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    diff: bool = False,
) -> FixReport:
    report = FixReport()
    for _ in range(MAX_PASSES):
        result = lint_paths(paths, options)
        if report.first is None:
            report.first = result
        chosen = choose_fixes(result.visible, unsafe, select, ignore, set(report.failed))
        if not chosen:
            report.remaining = result
            break
        edits: Dict[str, List[Edit]] = {}
        owners: Dict[str, List[Finding]] = {}
        for finding in chosen:
            for edit in finding.fix.edits:
                edits.setdefault(edit.path, []).append(edit)
            owners.setdefault(finding.fix.edits[0].path, []).append(finding)
        progress = False
        for path in sorted(edits):
            if _rewrite(Path(path), path, edits[path], diff, report):
                report.changed.setdefault(path, []).extend(owners.get(path, []))
                progress = True
        if diff or not progress:
            report.remaining = result if diff else lint_paths(paths, options)
            break
    else:
        report.remaining = lint_paths(paths, options)
    return report


def choose_fixes(findings: List[Finding], unsafe: bool, select, ignore, failed: set) -> List[Finding]:
    """The fixes to apply: selected, of the allowed tier, and only with the fixes they require
    (a version pin goes with every role path on its base, or not at all)."""
    chosen = {
        f.key: f for f in findings
        if f.fix is not None and (f.fix.safe or unsafe) and selected(f.code, select, ignore) and f.path not in failed
    }
    changed = True
    while changed:
        changed = False
        for key, finding in list(chosen.items()):
            if any(required not in chosen for required in finding.fix.requires):
                del chosen[key]
                changed = True
    return list(chosen.values())


def _rewrite(path: Path, display: str, edits: List[Edit], diff: bool, report: FixReport) -> bool:
    try:
        source = path.read_bytes()
        new, applied = apply_edits(source, edits)
    except (OSError, RewriteError) as exc:
        report.failed[display] = str(exc) if isinstance(exc, RewriteError) else f"cannot read it ({exc.strerror})"
        return False
    if new == source or not applied:
        return False
    if diff:
        encoding = "utf-8"
        before = source.decode(encoding, errors="replace").splitlines(keepends=True)
        after = new.decode(encoding, errors="replace").splitlines(keepends=True)
        import difflib

        report.diffs.append("".join(difflib.unified_diff(before, after, f"a/{display}", f"b/{display}")))
        return True
    try:
        write_atomic(path, new, source)
    except WriteError as exc:
        report.failed[display] = str(exc)
        return False
    return True
