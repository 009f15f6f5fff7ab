"""The library entry points the CLI, the codemods and the tests share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from linter import catalog
from linter.analysis import suppress
from linter.source.files import MAX_PARSE_BYTES, MAX_TEXT_BYTES, SourceFile, discover, read_bytes
from linter.model import Confidence, EndpointUse, Finding, Span

# LibCST and everything built on it are imported only when a file is parsed: a run over files
# that never mention Clever starts and ends without them.


@dataclass(frozen=True)
class Options:
    min_confidence: Confidence = Confidence.MEDIUM
    target_version: str = catalog.TARGET_VERSION
    clever_hosts: Tuple[str, ...] = ()
    select: Tuple[str, ...] = ()  # codes or prefixes; empty: all
    ignore: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()  # (glob, codes)
    config_root: Optional[Path] = None  # per-file-ignores globs are relative to it
    exclude: Optional[Tuple[str, ...]] = None  # None: the default exclusions
    extend_exclude: Tuple[str, ...] = ()
    report_unused_suppressions: bool = False
    follow_symlinks: bool = False
    prefilter: bool = True  # parse only the files linked to Clever (linter.source.prefilter)
    jobs: Optional[int] = None  # processes for the prefilter's byte tests; None: the available cores
    cache: bool = False  # read and write .clever-upgrade-cache/ (the CLI turns it on)

    @classmethod
    def from_settings(cls, settings, **extra) -> "Options":
        """Options from linter.config.Settings (the file merged with the command line)."""
        return cls(
            min_confidence=Confidence.parse(settings.min_confidence),
            target_version=settings.target_version,
            clever_hosts=settings.clever_hosts,
            select=settings.select,
            ignore=settings.ignore,
            per_file_ignores=settings.per_file_ignores,
            config_root=settings.root,
            exclude=settings.exclude,
            extend_exclude=settings.extend_exclude,
            **extra,
        )


@dataclass
class LintResult:
    findings: List[Finding]  # every finding, at every confidence, sorted
    files_scanned: int
    min_confidence: Confidence = Confidence.MEDIUM
    endpoint_uses: List[EndpointUse] = field(default_factory=list)  # every confidence
    suppressed: List[Finding] = field(default_factory=list)  # by a noqa comment
    texts: Dict[str, str] = field(default_factory=dict)  # path -> text, of every file with findings

    @property
    def visible(self) -> List[Finding]:
        return [f for f in self.findings if f.confidence.rank >= self.min_confidence.rank]

    @property
    def hidden(self) -> int:
        return len(self.findings) - len(self.visible)


def lint_paths(paths: Sequence[str], options: Options = Options(), progress=None) -> LintResult:
    """Check files and directories (raises linter.source.files.PathError for a missing path).
    `progress(count)` is called with the number of files, then with None after each one."""
    files = discover(paths, options.exclude, options.extend_exclude, options.follow_symlinks)
    roots = [Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent for p in paths]
    run_key = None
    if options.cache:
        from linter.source import cache

        directory = cache.location(options.config_root)
        run_key = cache.key(options, files, _read_or_none)
        cached = cache.load(directory, run_key) if run_key is not None else None
        if cached is not None:
            return cached
    if progress is not None:
        progress(len(files))
    result = _lint_files(files, roots, options, progress=progress)
    if run_key is not None:
        cache.store(directory, run_key, result)
    return result


def _read_or_none(path: Path) -> Optional[bytes]:
    try:
        return read_bytes(path)
    except OSError:
        return None


def lint_source(source: str, path: str = "example.py", options: Options = Options()) -> LintResult:
    """Check one module given as text (its imports are looked up beside `path`)."""
    target = Path(path).resolve()
    item = SourceFile(target, path, "python" if target.suffix == ".py" else "text", explicit=True)
    return _lint_files([item], [target.parent], options, {target: source.encode("utf-8")})


def _lint_files(
    files: Sequence[SourceFile],
    roots: Sequence[Path],
    options: Options,
    sources: Optional[Dict[Path, bytes]] = None,
    progress=None,
) -> LintResult:
    from linter.source import prefilter

    sources = sources or {}
    findings: List[Finding] = []
    modules: list = []  # linter.syntax.project.ModuleInfo
    project = None  # linter.syntax.project.Project, made when the first file is parsed

    def read(path: Path) -> Optional[bytes]:
        data = sources.get(path)
        return data if data is not None else _read_or_none(path)

    python = [item.path for item in files if item.kind == "python"]
    if options.prefilter:
        explicit = {item.path for item in files if item.explicit}
        # every finding is wanted when low ones are shown, or when a suppression of a hidden
        # one must count as used
        every = options.min_confidence is Confidence.LOW or options.report_unused_suppressions
        jobs = 1 if sources else (options.jobs or available_cores())  # text in memory: one process
        selection = prefilter.select(
            python, read, prefilter.trigger(tuple(options.clever_hosts)), explicit, every, jobs=jobs
        )
        chosen, name_counts = selection.chosen, selection.name_counts
    else:
        chosen, name_counts = set(python), None
    counted: Counter = Counter()
    to_parse: List[Tuple[SourceFile, bytes]] = []
    for item in files:
        if progress is not None:
            progress(None)
        if item.kind == "text":
            findings.extend(_lint_text(item, sources.get(item.path), options, prefilter=options.prefilter))
            continue
        if item.path not in chosen:
            continue
        data = sources.get(item.path)
        if data is None:
            try:
                data = read_bytes(item.path)
            except OSError as exc:
                findings.append(_parse_error(item.display, f"cannot read it: {exc.strerror or exc}", 1, 1))
                continue
        if name_counts is None:
            prefilter.count_definitions(counted, prefilter.def_names(data))
        if len(data) > MAX_PARSE_BYTES:
            findings.extend(_lint_text(item, data, options, config_file=False))
            findings.append(_too_large(item.display, len(data)))
            continue
        to_parse.append((item, data))
    if to_parse:
        from linter.syntax.project import Project

        project = Project(roots)
    for item, data in to_parse:
        info = project.load(item.path, item.display, data)
        if info is None:
            findings.append(_parse_error(item.display, "cannot read it", 1, 1))
            continue
        info.display = item.display
        if info.error is not None:
            findings.append(_parse_error(item.display, info.error.message, info.error.line, info.error.column))
            continue
        modules.append(info)
    uses: List[EndpointUse] = []
    if modules:
        from linter.analysis.modules import _Analysis

        analysis = _Analysis(project, modules, options, name_counts if name_counts is not None else counted)
        findings.extend(analysis.findings())
        uses = sorted(analysis.uses.values(), key=lambda u: (u.path, u.span.line, u.span.column, u.endpoint))
    findings = [f for f in findings if _selected(f, options)]
    texts = _texts(files, project, sources, findings, options.report_unused_suppressions)
    findings, suppressed, unused = suppress.apply(findings, texts, options.report_unused_suppressions)
    findings.extend(unused)
    findings.sort(key=lambda f: f.sort_key)
    return LintResult(findings, len(files), options.min_confidence, uses, suppressed, texts)


def available_cores() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _selected(finding: Finding, options: Options) -> bool:
    from linter.fix.apply import selected

    if not selected(finding.code, options.select, options.ignore):
        return False
    for pattern, codes in options.per_file_ignores:
        if _path_matches(finding.path, pattern, options.config_root) and any(finding.code.startswith(c) for c in codes):
            return False
    return True


def _path_matches(path: str, pattern: str, root: Optional[Path]) -> bool:
    import fnmatch
    import os

    candidates = {path.replace(os.sep, "/")}
    if root is not None:
        try:
            candidates.add(Path(path).resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            pass
    return any(fnmatch.fnmatch(c, pattern) for c in candidates)


def _texts(files, project, sources, findings: List[Finding], every_file: bool) -> Dict[str, str]:
    """The text of the files whose comments matter: those with findings (or all of them, to
    report unused suppressions)."""
    wanted = {f.path for f in findings}
    texts: Dict[str, str] = {}
    for item in files:
        if not every_file and item.display not in wanted:
            continue
        data = sources.get(item.path) if sources else None
        if data is None:
            info = project.loaded(item.path) if item.kind == "python" and project is not None else None
            data = info.source if info is not None else None
        if data is None:
            try:
                data = read_bytes(item.path, MAX_TEXT_BYTES)
            except OSError:
                continue
        texts[item.display] = data.decode("utf-8", errors="replace")
    return texts


def _parse_error(display: str, message: str, line: int, column: int) -> Finding:
    from linter.rules.files import PARSE_ERROR

    first = message.strip().splitlines()[0] if message.strip() else "syntax error"
    return Finding(
        path=display,
        span=Span(line, column, line, column),
        code=PARSE_ERROR.code,
        step=PARSE_ERROR.step,
        severity=PARSE_ERROR.severity,
        confidence=Confidence.HIGH,
        message=f"cannot parse this file ({first}); it was not checked",
    )


def _too_large(display: str, size: int) -> Finding:
    from linter.rules.files import TOO_LARGE

    return Finding(
        path=display,
        span=Span(1, 1, 1, 1),
        code=TOO_LARGE.code,
        step=TOO_LARGE.step,
        severity=TOO_LARGE.severity,
        confidence=Confidence.LOW,
        message=(
            f"too large for the full analysis ({size / 1048576:.1f} MB > {MAX_PARSE_BYTES // 1048576} MB): "
            "only the Clever URLs written out in it were checked, and nothing in it is rewritten"
        ),
    )


def _lint_text(
    item: SourceFile, data: Optional[bytes], options: Options, config_file: bool = True, prefilter: bool = False
) -> List[Finding]:
    if data is None:
        try:
            data = read_bytes(item.path, MAX_TEXT_BYTES)
        except OSError as exc:
            return [_parse_error(item.display, f"cannot read the file: {exc.strerror}", 1, 1)]
    if prefilter:
        from linter.source.prefilter import trigger

        if not trigger(tuple(options.clever_hosts)).text(data):
            return []  # no Clever word, no finding: the scanner (and LibCST) is not loaded
    from linter.analysis.textscan import scan_text

    text = data.decode("utf-8", errors="replace")
    out = []
    for hit in scan_text(text, options.clever_hosts, config_file):
        f = hit.finding
        out.append(
            Finding(
                path=item.display,
                span=Span(hit.line, hit.column, hit.end_line, hit.end_column),
                code=f.rule.code,
                step=f.rule.step,
                severity=f.severity,
                confidence=Confidence.HIGH,
                message=f.message,
                v2=f.v2,
                v3=f.v3,
            )
        )
    return out


