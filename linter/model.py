"""The plain data every layer shares: findings, spans, edits, fixes and fix groups, options and
results, and the enums they carry. A leaf: it imports nothing of ours (as Fixit's ftypes.py),
so that any layer may use it and none of it can start an import cycle."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

TARGET_VERSION = "v3.1"  # the v3 version that `fix` moves to unless told otherwise

# The one character that stands for an unknown value (a hole) in the flat text of a URL
# template: the catalog's path patterns and the URL reader both match against it.
HOLE = "\ue000"


class UsageError(Exception):
    """A problem the user caused (a bad flag, path, configuration, baseline or trace file), as
    one line: every face reports it as such and exits 2, without a traceback. Each layer's own
    error (ConfigError, PathError, BaselineError, TraceError) is one of these, so the command
    line catches them in one place."""


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Confidence(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _CONFIDENCE_RANK[self]

    @classmethod
    def parse(cls, text: str) -> "Confidence":
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown confidence {text!r} (expected one of: low, medium, high)") from None


_CONFIDENCE_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


@dataclass(frozen=True)
class Span:
    """A source range: 1-based lines and columns, end exclusive (as editors and SARIF count)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Edit:
    """Replace one source range of one file (an empty range inserts)."""

    path: str
    span: Span
    replacement: str


FindingKey = Tuple[str, int, int, str]  # (path, line, column, code): names a finding in a run


@dataclass(frozen=True)
class Fix:
    """The edits that migrate one finding; codemods apply these and nothing else. An unsafe fix
    is applied only on request (`fix --unsafe-fixes`). Its edits may lie in several files."""

    edits: Tuple[Edit, ...]
    safe: bool
    # other findings whose fixes must be applied in the same run, or this one must not be (a
    # version pin and the role paths on its base): see FixGroup
    requires: Tuple[FindingKey, ...] = ()


@dataclass(frozen=True)
class Finding:
    path: str
    span: Span
    code: str
    step: int
    severity: Severity
    confidence: Confidence
    message: str
    v2: Optional[str] = None
    v3: Optional[str] = None
    fix: Optional[Fix] = None
    note: Optional[str] = None  # why there is no fix, where a fix was considered

    @property
    def fixable(self) -> bool:
        """Fixable at all (see fix.safe for the tier)."""
        return self.fix is not None

    @property
    def key(self) -> FindingKey:
        return (self.path, self.span.line, self.span.column, self.code)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)

    def to_json(self) -> dict:
        data = {
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "step": self.step,
            "severity": self.severity.value,
            "confidence": self.confidence.value,
            "message": self.message,
            "fixable": self.fixable,
        }
        if self.v2 is not None:
            data["v2"] = self.v2
        if self.v2 is not None or self.v3 is not None:
            data["v3"] = self.v3
        if self.fix is not None:
            data["fix"] = {
                "applicability": "safe" if self.fix.safe else "unsafe",
                "edits": [
                    {
                        "path": edit.path,
                        "span": {
                            "line": edit.span.line,
                            "column": edit.span.column,
                            "end_line": edit.span.end_line,
                            "end_column": edit.span.end_column,
                        },
                        "text": edit.replacement,
                    }
                    for edit in self.fix.edits
                ],
            }
        return data


@dataclass(frozen=True)
class FixGroup:
    """Fixes that are applied together or not at all: a version pin and every role path on its
    base, wherever they are. Its edits may span several files; a group is written whole (every
    file of it rewritten) or left alone."""

    findings: Tuple[Finding, ...]

    @property
    def edits(self) -> List[Edit]:
        return [edit for finding in self.findings if finding.fix is not None for edit in finding.fix.edits]

    @property
    def paths(self) -> List[str]:
        return sorted({edit.path for edit in self.edits})

    @property
    def safe(self) -> bool:
        return all(f.fix is not None and f.fix.safe for f in self.findings)


def with_requirements(findings: Iterable[Finding]) -> List[Finding]:
    """The fixable `findings` whose required fixes are all among them, repeatedly: a path
    without its pin, or a pin without one of its paths, is dropped."""
    chosen = {f.key: f for f in findings if f.fix is not None}
    changed = True
    while changed:
        changed = False
        for key, finding in list(chosen.items()):
            if any(required not in chosen for required in finding.fix.requires):  # type: ignore[union-attr]
                del chosen[key]
                changed = True
    return list(chosen.values())


def safe_fixes(findings: Iterable[Finding]) -> List[Finding]:
    """What a default `fix` (no --unsafe-fixes) rewrites of `findings`: the safe fixes whose
    required fixes are all safe and among them. Every report that counts "fixable" counts these."""
    return with_requirements(f for f in findings if f.fix is not None and f.fix.safe)


def fix_groups(findings: Iterable[Finding]) -> List[FixGroup]:
    """The fixes of `findings` (already chosen to be applied together) cut into the groups that
    their `requires` tie together, in a stable order."""
    fixed = {f.key: f for f in findings if f.fix is not None}
    parent: Dict[FindingKey, FindingKey] = {key: key for key in fixed}

    def root(key: FindingKey) -> FindingKey:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key, finding in fixed.items():
        for required in finding.fix.requires:  # type: ignore[union-attr]
            if required in parent:
                parent[root(key)] = root(required)
    members: Dict[FindingKey, List[Finding]] = {}
    for key in sorted(fixed):
        members.setdefault(root(key), []).append(fixed[key])
    return [FixGroup(tuple(group)) for group in sorted(members.values(), key=lambda g: g[0].key)]


@dataclass(frozen=True)
class EndpointUse:
    """One place where the code calls a catalog endpoint (changed or not): the inventory of
    the checklist counts these."""

    path: str
    span: Span
    endpoint: str  # the catalog's v2 path, e.g. /teachers/{id}/sections
    confidence: Confidence
    fixable: bool = False  # a fix of this run rewrites this call's path


@dataclass(frozen=True)
class Options:
    """What one run is asked to do; built from the configuration and the command line in one
    place (linter.config.options)."""

    min_confidence: Confidence = Confidence.MEDIUM
    target_version: str = TARGET_VERSION
    clever_hosts: Tuple[str, ...] = ()
    select: Tuple[str, ...] = ()  # codes or prefixes; empty: all
    ignore: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()  # (glob, codes)
    config_root: Optional[Path] = None  # per-file-ignores globs are relative to it
    exclude: Optional[Tuple[str, ...]] = None  # None: the default exclusions
    extend_exclude: Tuple[str, ...] = ()
    report_unused_suppressions: bool = False
    follow_symlinks: bool = False
    respect_gitignore: bool = True  # leave out the files git ignores (in a git work tree)
    prefilter: bool = True  # parse only the files linked to Clever (linter.source.prefilter)
    jobs: Optional[int] = None  # processes for the prefilter and the parse ahead; None: the available cores
    cache: bool = False  # read and write .clever-upgrade-cache/ (the CLI turns it on)


@dataclass
class RunStats:
    """What one run did, for --verbose: how many files it found, left to the prefilter, parsed
    and read on demand, why each parsed file was parsed, the seconds of each phase and the
    modules whose analysis took longest."""

    python_files: int = 0
    text_files: int = 0
    parsed: int = 0  # Python files parsed (the prefilter's choice, or every one with --no-prefilter)
    on_demand: int = 0  # modules the resolver read beyond them (imports, base classes, settings)
    blanked: int = 0  # top-level statements left out of the parse (linter.source.statements)
    reasons: Dict[str, str] = field(default_factory=dict)  # a parsed file's display path -> why
    phases: Dict[str, float] = field(default_factory=dict)  # phase -> seconds, in the order run
    slowest: List[Tuple[str, float]] = field(default_factory=list)  # (module, seconds of analysis)
    cached: bool = False  # the result came from the cache: nothing was analysed this time


@dataclass
class LintResult:
    findings: List[Finding]  # every finding, at every confidence, sorted
    files_scanned: int
    min_confidence: Confidence = Confidence.MEDIUM
    endpoint_uses: List[EndpointUse] = field(default_factory=list)  # every confidence
    suppressed: List[Finding] = field(default_factory=list)  # by a noqa comment
    texts: Dict[str, str] = field(default_factory=dict)  # path -> text, of every file with findings
    # files outside the run that the analysis read (imported modules, a settings module), with
    # the BLAKE2b digest of what it read: a cached result holds only while they are unchanged
    dependencies: Dict[str, str] = field(default_factory=dict)
    # what discovery left out: "excluded" (paths), "symlink" (links out of the tree), "gitignored"
    skipped: Dict[str, int] = field(default_factory=dict)
    trace: Optional[dict] = None  # the runtime evidence given with --trace (`trace --format json`)
    target_version: str = TARGET_VERSION  # the v3 version the run migrates to (reports name it)
    stats: Optional[RunStats] = None  # what the run did (for --verbose)

    def speak(self, text: str) -> str:
        """A report's text for the run's target version (reports are written for v3.1)."""
        return text if self.target_version == TARGET_VERSION else text.replace(TARGET_VERSION, self.target_version)

    @property
    def visible(self) -> List[Finding]:
        return [f for f in self.findings if f.confidence.rank >= self.min_confidence.rank]

    @property
    def hidden(self) -> int:
        return len(self.findings) - len(self.visible)
