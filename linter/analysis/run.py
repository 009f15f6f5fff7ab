"""One run over files: prefilter, parse, analyse the parsed modules, scan the text files, keep
the selected codes, apply suppression comments. LibCST and the module analysis are imported
only when a file is parsed: a run over files that never mention Clever starts and ends without
them."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from linter import catalog, selection
from linter.analysis import suppress
from linter.model import TARGET_VERSION, Confidence, EndpointUse, Finding, LintResult, Options, RunStats, Span
from linter.rules.files import PARSE_ERROR, TOO_LARGE
from linter.source.files import MAX_PARSE_BYTES, MAX_TEXT_BYTES, FileKind, SourceFile, read_bytes


def read_or_none(path: Path) -> Optional[bytes]:
    try:
        return read_bytes(path)
    except OSError:
        return None


def lint_files(
    files: Sequence[SourceFile],
    roots: Sequence[Path],
    options: Options,
    sources: Optional[Dict[Path, bytes]] = None,
    progress=None,
    earlier: Optional["Earlier"] = None,
) -> LintResult:
    """Check `files` (found under `roots`); `sources` holds texts given in memory (an editor's
    buffer) instead of the files' bytes on disk. `earlier`: what earlier runs of the same
    command kept (see Earlier); this run adds to it."""
    from linter.source import prefilter

    stats = RunStats()
    started = clock = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stats.phases[name] = stats.phases.get(name, 0.0) + now - clock
        clock = now

    sources = sources or {}
    findings: List[Finding] = []
    project = None  # linter.syntax.project.Project, made when the first file is parsed

    def read(path: Path) -> Optional[bytes]:
        data = sources.get(path)
        return data if data is not None else read_or_none(path)

    python = [item.path for item in files if item.kind is FileKind.PYTHON]
    jobs = options.jobs or available_cores()  # forked workers read texts in memory through `read` too
    if options.prefilter:
        explicit = {item.path for item in files if item.explicit}
        # every finding is wanted when low ones are shown, or when a suppression of a hidden
        # one must count as used
        every = options.min_confidence is Confidence.LOW or options.report_unused_suppressions
        chosen_files = prefilter.select(
            python,
            read,
            prefilter.trigger(tuple(options.clever_hosts)),
            explicit,
            every,
            jobs=jobs,
            known=earlier.prefilter if earlier is not None else None,
        )
        chosen, name_counts = chosen_files.chosen, chosen_files.name_counts
        why = chosen_files.why
    else:
        chosen, name_counts, why = set(python), None, {}
    phase("prefilter")
    counted: Counter = Counter()
    to_parse: List[Tuple[SourceFile, bytes]] = []
    for item in files:
        if progress is not None:
            progress(None)
        if item.kind is FileKind.TEXT:
            findings.extend(lint_text(item, sources.get(item.path), options, prefilter=options.prefilter))
            continue
        if item.path not in chosen:
            continue
        data = sources.get(item.path)
        if data is None:
            try:
                data = read_bytes(item.path)
            except OSError as exc:
                findings.append(parse_error(item.display, f"cannot read it: {exc.strerror or exc}", 1, 1))
                continue
        if name_counts is None:
            prefilter.count_definitions(counted, prefilter.def_names(data))
        if len(data) > MAX_PARSE_BYTES:
            findings.extend(lint_text(item, data, options, config_file=False))
            findings.append(too_large(item.display, len(data)))
            continue
        to_parse.append((item, data))
    uses: List[EndpointUse] = []
    phase("read")
    stats.python_files, stats.text_files = len(python), len(files) - len(python)
    stats.parsed = len(to_parse)
    displays = {item.path: item.display for item in files}
    for item, _ in to_parse:
        text, source = why.get(item.path, ("every file is parsed (--no-prefilter)", None))
        # replace, not format: a module's name may hold braces
        stats.reasons[item.display] = text.replace("{}", str(displays.get(source, source))) if source else text
    if to_parse:
        from linter.syntax.project import Unmasked

        counts = name_counts if name_counts is not None else counted
        masks, accepted = {}, set()
        if options.prefilter and sum(len(data) for _, data in to_parse) >= MASK_BYTES:
            masks, accepted = _masks(to_parse, options, jobs, earlier, counts, roots, python)
            phase("statements")
        common = (to_parse, roots, options, counts, findings, earlier, stats)
        try:
            project, more, uses = _parse_and_analyse(*common, masks, accepted)
        except Unmasked:  # a module read on demand reached a statement left out: parse them all
            stats.blanked = 0
            project, more, uses = _parse_and_analyse(*common, {}, accepted)
        findings.extend(more)
        clock = time.perf_counter()  # _parse_and_analyse timed its own phases
    findings = [
        f
        for f in findings
        if selection.reported(
            f.code, f.path, options.select, options.ignore, options.per_file_ignores, options.config_root
        )
    ]
    texts = _texts(files, project, sources, findings, options.report_unused_suppressions, chosen)
    with_findings = {f.path for f in findings}
    findings, suppressed, unused = suppress.apply(findings, texts, options.report_unused_suppressions)
    findings.extend(unused)
    findings.sort(key=lambda f: f.sort_key)
    if not options.report_unused_suppressions:
        # the result (and its cache entry) keeps the texts the baseline's fingerprints need;
        # the other parsed files were read for their suppression comments only
        with_findings |= {f.path for f in findings}  # an unknown code in a comment is a finding too
        texts = {path: text for path, text in texts.items() if path in with_findings}
    if options.target_version != TARGET_VERSION:
        findings = [retarget(f, options.target_version) for f in findings]
        suppressed = [retarget(f, options.target_version) for f in suppressed]
    result = LintResult(findings, len(files), options.min_confidence, uses, suppressed, texts)
    result.target_version = options.target_version
    phase("report")
    stats.phases["total"] = time.perf_counter() - started
    result.stats = stats
    if project is not None:
        result.dependencies = _dependencies(project, files)
    return result


def _parse_and_analyse(to_parse, roots, options, counts, recorded, earlier, stats, masks, accepted=frozenset()):
    """Parse the files of `to_parse` (statements left out where `masks` says, see
    linter.source.statements) and analyse them: (the project, the findings, the endpoint uses).
    `recorded`: the findings so far (the analysis reads their version pins); `accepted`: the
    indexes of the files Python's parser has read already; `stats` takes the phases' times."""
    from linter.syntax.project import Project

    clock = time.perf_counter()
    stats.blanked = sum(masked.left_out for masked, _ in masks.values()) if masks else 0

    findings: List[Finding] = []
    modules: list = []  # linter.syntax.module.ModuleInfo
    project = Project(roots)
    unparsed: List[Tuple[str, bytes]] = []  # they hold every version pin near them (closed world)
    reused = {}  # index in to_parse -> the earlier run's module of the same bytes
    parsed = earlier.modules if earlier is not None else None
    for index, (item, data) in enumerate(to_parse):
        before = parsed.get(item.path) if parsed is not None else None
        text = masks[index][1] if index in masks else data
        if before is not None and before.module is not None and before.source == data and before.parsed == text:
            reused[index] = before
    fresh = {index: number for number, index in enumerate(i for i in range(len(to_parse)) if i not in reused)}
    ahead = None
    if fresh:
        from linter.syntax.ahead import Ahead

        texts = [masks[index][1] if index in masks else to_parse[index][1] for index in fresh]
        ahead = Ahead(texts, options.jobs or available_cores(), [index in accepted for index in fresh])
    for index, (item, data) in enumerate(to_parse):
        if index in reused:
            info = project.adopt(reused[index])
        else:
            tree = ahead.tree(fresh[index]) if ahead is not None else None
            info = project.load(item.path, item.display, data, tree, masks.get(index), index in accepted)
            if parsed is not None and info is not None:
                parsed[item.path] = info
        if info is None:
            findings.append(parse_error(item.display, "cannot read it", 1, 1))
            continue
        info.display = item.display
        if info.error is not None:
            findings.append(parse_error(item.display, info.error.message, info.error.line, info.error.column))
            unparsed.append((item.display, data))
            continue
        modules.append(info)
    if ahead is not None:
        ahead.close()
    now = time.perf_counter()
    stats.phases["parse"] = stats.phases.get("parse", 0.0) + now - clock
    clock = now
    uses: List[EndpointUse] = []
    if modules:
        from linter.analysis.modules import ModuleAnalysis

        analysis = ModuleAnalysis(project, modules, options, counts, unparsed, _recorded(recorded + findings))
        findings.extend(analysis.findings())
        uses = analysis.endpoint_uses()
        stats.slowest = sorted(analysis.seconds.items(), key=lambda item: -item[1])[:10]
    stats.on_demand = len(project.modules_read()) - len(modules) - len(unparsed)
    stats.phases["analysis"] = stats.phases.get("analysis", 0.0) + time.perf_counter() - clock
    return project, findings, uses


def _masks(to_parse, options: Options, jobs: int, earlier: Optional["Earlier"], name_counts, roots, python) -> tuple:
    """(index in to_parse -> (linter.source.statements.Masked, the text to parse) for the files
    whose statements that cannot carry a finding are left out of the parse, the indexes of the
    files that Python's parser reads). `python`: every Python file of the run (an import of a
    project module beyond them makes a seed)."""
    from linter.source import prefilter, statements
    from linter.source.workers import fork_each

    trigger = prefilter.trigger(tuple(options.clever_hosts))
    known = earlier.shapes if earlier is not None else {}
    shapes: Dict[int, object] = {}
    missing = []
    for index, (item, data) in enumerate(to_parse):
        found = known.get(item.path)
        if found is not None and found[0] == data:
            shapes[index] = found[1]
        else:
            missing.append(index)
    sources = [to_parse[index][1] for index in missing]
    found_shapes = (
        fork_each(_shape_of, sources, trigger, jobs, tasks_per_job=1) if len(missing) >= _FORK_SHAPES else None
    )
    if found_shapes is None:
        found_shapes = [statements.shape(source, trigger) for source in sources]
    for index, shape in zip(missing, found_shapes):
        shapes[index] = shape
        if earlier is not None:
            earlier.shapes[to_parse[index][0].path] = (to_parse[index][1], shape)
    accepted = {index for index, shape in shapes.items() if shape is not None}  # Python read them
    if not any(shape is not None and shape.blankable for shape in shapes.values()):
        return {}, accepted
    from linter.syntax.project import Project

    project = Project(roots)
    known_files = set(python)

    def reaches_outside(index: int, dotted: str, level: int) -> bool:
        path = project.locate(to_parse[index][0].path, dotted, level)
        return path is not None and path not in known_files and path.resolve() not in known_files

    shapes = statements.outside(shapes, reaches_outside)  # copies: `earlier` keeps the shapes as read
    data = {index: to_parse[index][1] for index in shapes}
    out = {}
    for index, masked in statements.blanked(shapes, data, statements.catalog_words(), name_counts).items():
        text = masked.text()
        if text is not None:
            out[index] = (masked, text)
    return out, accepted


# fewer bytes to parse (a pre-commit run, an editor's file, a small integration): deciding which
# statements to leave out costs more than it can save (a run of the ed-tech 150k benchmark parses
# 16 files, 140 kB, and leaves out 19 statements of 2 files)
MASK_BYTES = 200_000
_FORK_SHAPES = 24  # fewer files: reading their statements here costs less than starting workers


def _shape_of(trigger, source: bytes):
    """In a worker (fork_each): the statements of one file to parse."""
    from linter.source.statements import shape

    return shape(source, trigger)


class Earlier:
    """What the runs of one command keep for its next run (fix's passes, and its check of the
    fixed code): the parsed modules, reused where a file's bytes are the same, and what the
    prefilter read of each file, reused until `forget` names the file."""

    def __init__(self) -> None:
        from linter.source.prefilter import Known

        self.modules: dict = {}  # path -> linter.syntax.module.ModuleInfo
        self.prefilter = Known()
        self.shapes: dict = {}  # path -> (bytes, linter.source.statements.Shape or None)

    def forget(self, paths: Iterable[Path]) -> None:
        """These files changed (the modules compare their bytes anyway)."""
        self.prefilter.forget(paths)

    def tree_of(self, path: Path, source: bytes):
        """(the tree an earlier run parsed of the file at `path` when it held `source`, the text
        it is of: `source`, or `source` with statements blanked), or None."""
        info = self.modules.get(path.resolve())
        if info is None or info.module is None or info.source != source:
            return None
        return info.module, (source if info.whole else info.parsed)


def _dependencies(project, files: Sequence[SourceFile]) -> Dict[str, str]:
    import hashlib

    # discovery's paths are real paths already, but for links it was asked to follow: resolve
    # them (a system call each, for every file of the run) only when a module read is not one
    given = {item.path for item in files}
    resolved = None
    out = {}
    for path, data in sorted(project.modules_read().items()):
        if path in given:
            continue
        if resolved is None:
            resolved = {item.path.resolve() for item in files}
        if path not in resolved:
            out[str(path)] = hashlib.blake2b(data, digest_size=20).hexdigest()
    return out


def _recorded(findings: List[Finding]) -> List[str]:
    """`path:line` of v1/v2 Clever URLs in recorded responses (VCR cassettes, JSON fixtures of
    mocked responses: text files under a tests, fixtures or cassettes directory). They stand
    for the code's requests, and fix does not rewrite them: they hold the code's pins."""
    out = []
    directories = catalog.libraries().recording_directories
    for finding in findings:
        parts = set(Path(finding.path).parts[:-1])
        if finding.path.endswith((".yaml", ".yml", ".json")) and parts & directories and finding.v2:
            out.append(f"{finding.path}:{finding.span.line}")
    return sorted(set(out))


def available_cores() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _texts(files, project, sources, findings: List[Finding], every_file: bool, parsed) -> Dict[str, str]:
    """The text of the files whose comments matter: those with findings and those parsed (an
    unknown code in a suppression comment is a finding), or all of them, to report unused
    suppressions."""
    wanted = {f.path for f in findings}
    texts: Dict[str, str] = {}
    for item in files:
        if not every_file and item.display not in wanted and item.path not in parsed:
            continue
        data = sources.get(item.path) if sources else None
        if data is None:
            info = project.loaded(item.path) if item.kind is FileKind.PYTHON and project is not None else None
            data = info.source if info is not None else None
        if data is None:
            try:
                data = read_bytes(item.path, MAX_TEXT_BYTES)
            except OSError:
                continue
        texts[item.display] = data.decode("utf-8", errors="replace")
    return texts


def parse_error(display: str, message: str, line: int, column: int) -> Finding:
    first = message.strip().splitlines()[0] if message.strip() else "syntax error"
    return PARSE_ERROR.finding(
        display,
        Span(line, column, line, column),
        f"cannot parse this file ({first}); it was not checked",
        Confidence.HIGH,
    )


def too_large(display: str, size: int) -> Finding:
    return TOO_LARGE.finding(
        display,
        Span(1, 1, 1, 1),
        f"too large for the full analysis ({size / 1048576:.1f} MB > {MAX_PARSE_BYTES // 1048576} MB): "
        "only the Clever URLs written out in it were checked, and nothing in it is rewritten",
        Confidence.LOW,
    )


def retarget(finding: Finding, target: str) -> Finding:
    """A finding that speaks of `target` (v3.0) wherever its texts name the default target: the
    rules write their messages for v3.1, and the URLs they compute already use `target`."""
    import dataclasses

    def swap(text: Optional[str]) -> Optional[str]:
        return text.replace(TARGET_VERSION, target) if text else text

    return dataclasses.replace(finding, message=swap(finding.message), v3=swap(finding.v3), note=swap(finding.note))


# the start of a report that clever-upgrade wrote: `trace --format json`, `check --format json`, SARIF
OUR_REPORT = re.compile(
    rb'\s*\{\s*"version":\s*1,\s*"(?:command|findings)"|\s*\{\s*"\$schema":[^\n]*sarif.*?"name":\s*"clever-upgrade"',
    re.DOTALL,
)


def lint_text(
    item: SourceFile, data: Optional[bytes], options: Options, config_file: bool = True, prefilter: bool = False
) -> List[Finding]:
    """A configuration file (or a Python file too large to parse), scanned as text."""
    if data is None:
        try:
            data = read_bytes(item.path, MAX_TEXT_BYTES)
        except OSError as exc:
            return [parse_error(item.display, f"cannot read the file: {exc.strerror}", 1, 1)]
    if prefilter:
        from linter.source.prefilter import trigger

        if not trigger(tuple(options.clever_hosts)).text(data):
            return []  # no Clever word, no finding: the scanner (and LibCST) is not loaded
    if item.path.suffix == ".json" and OUR_REPORT.match(data[:4096]):
        return []  # a report of ours (trace, check --format json or sarif) quotes v2 URLs; it calls nothing
    from linter.analysis.textscan import scan_text

    text = data.decode("utf-8", errors="replace")
    out = []
    for hit in scan_text(text, options.clever_hosts, config_file):
        f = hit.finding
        span = Span(hit.line, hit.column, hit.end_line, hit.end_column)
        out.append(
            f.rule.finding(item.display, span, f.message, Confidence.HIGH, severity=f.severity, v2=f.v2, v3=f.v3)
        )
    return out
