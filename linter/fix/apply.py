"""Applying fixes to files: choose the fixes of a run, cut them into groups that must land
together (model.FixGroup), prepare every file of every group in memory, and write only the
groups whose every file could be rewritten. The loop that analyses again after each pass is
linter.api.fix_paths."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

from linter import selection
from linter.fix.plan import listed
from linter.fix.rewrite import RewriteError, apply_edits
from linter.model import Edit, Finding, FixGroup, LintResult, fix_groups, with_requirements
from linter.rules import registry  # noqa: F401 - every family registered, for codes_with
from linter.rules.base import codes_with
from linter.source.transaction import TransactionError, commit

# (a file's path, its bytes) -> (the LibCST tree the check parsed of those bytes, the text it
# is of: the bytes, or the bytes with statements left out, linter.source.statements), or None
TreeOf = Callable[[Path, bytes], object]


@dataclass
class FixReport:
    changed: Dict[str, List[Finding]] = field(default_factory=dict)  # path -> findings fixed
    failed: Dict[str, str] = field(default_factory=dict)  # path -> why it was left alone
    diffs: List[str] = field(default_factory=list)
    first: Optional[LintResult] = None  # the analysis before any fix
    after: Optional[LintResult] = None  # the analysis of the fixed code (in memory with --diff)
    unsafe: bool = False  # unsafe fixes were allowed
    written: Dict[str, bytes] = field(default_factory=dict)  # path -> new bytes (with --diff: would be)
    held: Dict = field(default_factory=dict)  # finding key -> why (its group needs files outside the run)
    recovered: List[str] = field(default_factory=list)  # files an interrupted earlier run had left

    @property
    def left(self) -> List[Finding]:
        """What is (or, with --diff, would be) left for a person: what `check` finds in the
        fixed code, with the reason each was not rewritten, plus the findings of the first
        analysis that follow v2 data (stored IDs, fields read from v2 records), which a moved
        endpoint does not migrate: the IDs already in the database are still v2 IDs. Fixes only
        edit inside literals on one line, so the line numbers still hold."""
        assert self.first is not None
        fixed = {(f.path, f.span.line, f.code) for found in self.changed.values() for f in found}
        earlier = [f for f in self.first.visible if (f.path, f.span.line, f.code) not in fixed]
        if self.after is None:
            return self._explained(self.first, earlier)
        now = {(f.path, f.span.line, f.code) for f in self.after.visible}
        kept = [f for f in earlier if f.code in FOLLOW_V2_DATA and (f.path, f.span.line, f.code) not in now]
        left = self._explained(self.after, self.after.visible) + self._explained(self.first, kept)
        return sorted(left, key=lambda f: f.sort_key)

    def _explained(self, result: LintResult, findings: List[Finding]) -> List[Finding]:
        reasons = why_not_fixed(result, findings, self.unsafe, self.failed, self.held)
        return [replace(f, note=reasons.get(f.key, f.note)) for f in findings]


# findings about data read from v2 endpoints: they stay for a person after the endpoint moves
FOLLOW_V2_DATA = codes_with("v2-data")


def choose_fixes(findings: List[Finding], unsafe: bool, select, ignore, failed: set) -> List[Finding]:
    """The fixes to apply: selected, of the allowed tier, and only with the fixes they require
    (a version pin goes with every role path on its base, or not at all)."""
    return with_requirements(
        f
        for f in findings
        if f.fix is not None
        and (f.fix.safe or unsafe)
        and selection.selected(f.code, select, ignore)
        and f.path not in failed
    )


def why_not_fixed(
    result: LintResult, left: Sequence[Finding], unsafe: bool, failed: Dict[str, str], held: Optional[Dict] = None
) -> Dict:
    """Why each finding `fix` leaves was not rewritten (its own note where the planner gave
    one): no automatic fix, an unsafe one, its file could not be rewritten, or a finding it
    moves with (its version pin, a path on its base) that is held: suppressed by a noqa
    comment, below the confidence threshold, unsafe, or in a file that could not be rewritten."""
    held = held or {}
    visible = {f.key: f for f in result.visible}
    suppressed = {f.key: f for f in result.suppressed}
    every = {f.key: f for f in result.findings}
    reasons: Dict = {}
    for finding in left:
        if finding.key in held:
            reasons[finding.key] = held[finding.key]
        elif finding.note and finding.fix is None:
            reasons[finding.key] = finding.note
        elif finding.fix is None:
            reasons[finding.key] = "no automatic fix; the v3.1 form is below"
        elif finding.path in failed:
            reasons[finding.key] = f"not rewritten: the file could not be rewritten ({failed[finding.path]})"
        elif not finding.fix.safe and not unsafe:
            reasons[finding.key] = finding.note or "an unsafe fix exists: --unsafe-fixes"
        else:
            holder = _held_by(finding, visible, suppressed, every, unsafe, failed)
            if holder:
                reasons[finding.key] = f"not rewritten: it moves only together with {holder}"
    return reasons


def _held_by(finding: Finding, visible, suppressed, every, unsafe: bool, failed, seen=None) -> Optional[str]:
    seen = set() if seen is None else seen
    seen.add(finding.key)
    for key in finding.fix.requires:  # type: ignore[union-attr]
        where = f"{key[0]}:{key[1]} ({key[3]})"
        if key in suppressed:
            return f"{where}, which a noqa comment suppresses (a suppressed use still holds its group)"
        if key not in visible:
            other = every.get(key)
            if other is not None:
                return f"{where}, which is below the confidence threshold"
            return f"{where}, which is not selected"
        required = visible[key]
        if required.path in failed:
            return f"{where}, whose file could not be rewritten"
        if required.fix is not None and not required.fix.safe and not unsafe:
            return f"{where}, whose fix is unsafe (--unsafe-fixes)"
        if required.fix is None:
            return f"{where}, which has no fix"
        if key not in seen and _held_by(required, visible, suppressed, every, unsafe, failed, seen):
            return f"{where}, which is held too"
    return None


def outside(chosen: Sequence[Finding], contains, held: Dict) -> tuple:
    """(the chosen fixes whose whole group edits only files of the run, `held` updated with why
    the others wait): a group that needs edits in other files is held whole."""
    kept: List[Finding] = []
    held = dict(held)
    for group in fix_groups(chosen):
        others = [path for path in group.paths if not contains(path)]
        if not others:
            kept.extend(group.findings)
            continue
        for finding in group.findings:
            held[finding.key] = (
                f"not rewritten: it moves together with edits in {listed(others)}, outside the files given; "
                "run `clever-upgrade fix` on the project, or stage these files together"
            )
    return kept, held


def apply_groups(
    chosen: Sequence[Finding],
    diff: bool,
    report: FixReport,
    journal_dir: Optional[Path] = None,
    jobs: int = 1,
    tree_of: Optional[TreeOf] = None,
) -> bool:
    """Rewrite the files of the chosen fixes (or, with `diff`, add their diffs to the report);
    whether anything changed. A group one of whose files cannot be rewritten (it does not
    parse, an edit would change code outside its literal, it cannot be read, it changed since
    it was read, it is read-only) is left out whole, so that a version pin never moves without
    the paths on it, nor they without it. The files are written as one change
    (linter.source.transaction): an interrupted run leaves all of them or none. `jobs`: the
    processes that prepare the rewrites; `tree_of(path, source)`: the tree the check parsed of
    those bytes and the text it is of (see TreeOf), or None (a rewrite parses the file it starts
    from otherwise)."""
    groups = fix_groups(chosen)
    held: Set[int] = set()
    while True:
        prepared, failures = _prepare_all(groups, held, jobs, tree_of)
        if not failures and not diff:
            try:
                commit({Path(p): pair for p, pair in prepared.items()}, journal_dir or Path.cwd())
            except TransactionError as exc:
                failures = {_display_of(exc.path, prepared): exc.reason}
        if not failures:
            break
        report.failed.update(failures)
        newly = {i for i, group in enumerate(groups) if i not in held and set(group.paths) & set(failures)}
        if not newly:
            break
        held |= newly
    if diff:
        report.diffs.extend(_diff(path, source, new) for path, (source, new) in sorted(prepared.items()))
    progress = False
    for path, (_, new) in sorted(prepared.items()):
        report.written[path] = new
        owners = [f for i, g in enumerate(groups) if i not in held for f in g.findings if f.fix.edits[0].path == path]
        report.changed.setdefault(path, []).extend(owners)
        progress = True
    return progress


POOL_MIN_FILES = 8  # fewer files to rewrite: one process


def _prepare_all(groups: List[FixGroup], held: Set[int], jobs: int = 1, tree_of: Optional[TreeOf] = None) -> tuple:
    """Each file's rewrite (_prepare), in `jobs` forked processes when there are enough files:
    a rewrite parses the result (and the file, unless `tree_of` has its tree) and compares
    their tokens, file by file."""
    prepared: Dict[str, tuple] = {}  # path -> (source, new)
    failures: Dict[str, str] = {}
    items = sorted(_edits_by_path(groups, held).items())
    outcomes = _in_pool(items, jobs, tree_of) if jobs > 1 and len(items) >= POOL_MIN_FILES else None
    if outcomes is None:
        outcomes = [_prepare(Path(path), edits, tree_of) for path, edits in items]
    for (path, _), outcome in zip(items, outcomes):
        if isinstance(outcome, str):
            failures[path] = outcome
        elif outcome is not None:
            prepared[path] = outcome
    return prepared, failures


def _prepare_item(tree_of: Optional[TreeOf], item: Tuple[str, List[Edit]]):
    return _prepare(Path(item[0]), item[1], tree_of)


def _in_pool(items: List[Tuple[str, List[Edit]]], jobs: int, tree_of: Optional[TreeOf]) -> Optional[list]:
    """_prepare of each item in forked workers (one file a task: rewrites differ in size), in
    order; None when they cannot run. The workers read the checked trees through `tree_of`,
    inherited through fork."""
    from linter.source.workers import fork_each

    return fork_each(_prepare_item, items, tree_of, jobs)


def _display_of(path: Path, prepared: Dict[str, tuple]) -> str:
    return next((display for display in prepared if Path(display) == path), str(path))


def _edits_by_path(groups: List[FixGroup], held: Set[int]) -> Dict[str, List[Edit]]:
    edits: Dict[str, List[Edit]] = {}
    for index, group in enumerate(groups):
        if index not in held:
            for edit in group.edits:
                edits.setdefault(edit.path, []).append(edit)
    return edits


def _prepare(path: Path, edits: List[Edit], tree_of: Optional[TreeOf] = None):
    """(source, new bytes) of one file, None when the edits change nothing, or why not."""
    try:
        source = path.read_bytes()
        new, applied = apply_edits(source, edits, tree_of(path, source) if tree_of is not None else None)
    except OSError as exc:
        return f"cannot read it ({exc.strerror})"
    except RewriteError as exc:
        return str(exc)
    if new == source or not applied:
        return None
    return source, new


def _diff(display: str, source: bytes, new: bytes) -> str:
    import difflib

    before = source.decode("utf-8", errors="replace").splitlines(keepends=True)
    after = new.decode("utf-8", errors="replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"a/{display}", f"b/{display}"))
