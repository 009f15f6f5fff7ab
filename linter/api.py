"""The library's face: what the CLI, the codemod and other programs call.

- lint_paths(paths, options): check files and directories;
- lint_source(text, path, options): check one module given as text (its imports are read
  from disk beside `path`);
- fix_paths(paths, options, unsafe=..., diff=...): apply the fixes, until nothing changes.

Options and LintResult live in linter.model and are re-exported here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence

from linter.analysis import run
from linter.model import LintResult, Options, RunStats
from linter.source.files import FileKind, SourceFile, discover

__all__ = ["LintResult", "Options", "fix_paths", "lint_paths", "lint_source"]  # and FixReport, below

MAX_PASSES = 4  # fix: analyse and apply again until nothing changes, at most this often


def lint_paths(paths: Sequence[str], options: Options = Options(), progress=None, earlier=None) -> LintResult:
    """Check files and directories (raises linter.source.files.PathError for a missing path).
    `progress(count)` is called with the number of files, then with None after each one.
    `earlier`: what earlier runs of the same command kept (run.Earlier)."""
    skipped: dict = {}
    files, roots = _files_and_roots(paths, options, skipped)
    run_key = None
    if options.cache:
        from linter.source import cache

        directory = cache.location(options.config_root)
        run_key = cache.key(options, files, run.read_or_none)
        cached = cache.load(directory, run_key) if run_key is not None else None
        if cached is not None:
            cached.skipped = skipped
            cached.stats = RunStats(cached=True)
            return cached
    if progress is not None:
        progress(len(files))
    result = run.lint_files(files, roots, options, progress=progress, earlier=earlier)
    result.skipped = skipped
    if run_key is not None:
        cache.store(directory, run_key, result)
    return result


def lint_source(source: str, path: str = "example.py", options: Options = Options()) -> LintResult:
    """Check one module given as text (its imports are looked up beside `path`)."""
    target = Path(path).resolve()
    kind = FileKind.PYTHON if target.suffix == ".py" else FileKind.TEXT
    item = SourceFile(target, path, kind, explicit=True)
    return run.lint_files([item], [target.parent], options, {target: source.encode("utf-8")})


def fix_paths(
    paths: Sequence[str],
    options: Options = Options(),
    unsafe: bool = False,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    diff: bool = False,
    keep=None,
):
    """Apply the chosen fixes of PATHS, group by group (linter.fix.apply), analysing again
    after each pass until nothing changes; with `diff`, compute the diffs and write nothing.
    `keep(result)`: the findings that may be fixed (default: the visible ones; the CLI leaves
    out a baseline's)."""
    from linter.fix.apply import FixReport, apply_groups, choose_fixes, outside
    from linter.source import cache, transaction

    journal_dir = cache.location(options.config_root)
    report = FixReport(unsafe=unsafe)
    report.recovered = transaction.recover(journal_dir)  # a change a killed run left half-renamed
    scope = Subset.of(paths)  # fix FILE, a pre-commit hook: read the project, edit only these
    analysed = scope.analysed if scope is not None else list(paths)
    earlier = run.Earlier()  # what each pass read, for the next pass where files are unchanged
    jobs = options.jobs or run.available_cores()
    for _ in range(MAX_PASSES):
        result = lint_paths(analysed, options, earlier=earlier)
        if report.first is None:
            report.first = scope.view(result) if scope is not None else result
        candidates = keep(result) if keep is not None else result.visible
        chosen = choose_fixes(candidates, unsafe, select, ignore, set(report.failed))
        if scope is not None:
            chosen, report.held = outside(chosen, scope.contains, report.held)
        done = not chosen or not apply_groups(chosen, diff, report, journal_dir, jobs, earlier.tree_of) or diff
        earlier.forget(Path(path).resolve() for path in report.written)  # (with --diff, as they would be)
        if done:
            break
    if report.written:
        # `check` after `fix`: never cleaner than the code is (with --diff, of the code as it would be)
        overrides = {Path(path).resolve(): data for path, data in report.written.items()} if diff else None
        # a subset run reports on its files: check them (with what they import) as they are now
        again = [str(p) for p in scope.given] if scope is not None else analysed
        after = _lint_again(again, options, overrides, earlier)
        report.after = scope.view(after) if scope is not None else after
    return report


class Subset:
    """A run on some files of a project (`fix FILE`, a pre-commit hook): the whole project is
    analysed, from its root (the nearest pyproject.toml above the paths, else the nearest
    .git), so that every use of a base is known; only the given files are edited, and only
    their findings are reported."""

    def __init__(self, root: Path, given: Sequence[Path]):
        self.root = root
        self.given = given
        self.analysed = [os.path.relpath(root)]

    @classmethod
    def of(cls, paths: Sequence[str]) -> "Optional[Subset]":
        given = [Path(p).resolve() for p in paths]
        if not given or not all(p.exists() for p in given):
            return None  # discovery reports the missing path
        root = project_root(given[0])
        if root is None:
            return None  # no project around the paths: they are the world
        if any(p == root or p in root.parents for p in given) or any(root not in p.parents for p in given):
            return None  # the paths cover the project (or leave it): nothing to add
        return cls(root, given)

    def contains(self, path: str) -> bool:
        resolved = Path(path).resolve()
        return any(resolved == p or p in resolved.parents for p in self.given)

    def view(self, result: LintResult) -> LintResult:
        """The result as the given files see it: their findings only."""
        import dataclasses

        return dataclasses.replace(
            result,
            findings=[f for f in result.findings if self.contains(f.path)],
            suppressed=[f for f in result.suppressed if self.contains(f.path)],
            endpoint_uses=[u for u in result.endpoint_uses if self.contains(u.path)],
            files_scanned=len(discover([str(p) for p in self.given])),
        )


def project_root(path: Path) -> Optional[Path]:
    """The directory of the nearest pyproject.toml above `path`, else of the nearest .git."""
    start = path if path.is_dir() else path.parent
    for marker in ("pyproject.toml", ".git"):
        for directory in (start, *start.parents):
            if (directory / marker).exists():
                return directory
    return None


def _lint_again(paths: Sequence[str], options: Options, overrides, earlier) -> LintResult:
    if overrides is None:
        return lint_paths(paths, options, earlier=earlier)
    files, roots = _files_and_roots(paths, options)
    return run.lint_files(files, roots, options, sources=overrides, earlier=earlier)


def _files_and_roots(paths: Sequence[str], options: Options, skipped=None):
    """The files a run checks, and the directories its imports are looked up under."""
    files = discover(
        paths, options.exclude, options.extend_exclude, options.follow_symlinks, options.respect_gitignore, skipped
    )
    roots = [Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent for p in paths]
    return files, roots


def __getattr__(name: str):
    if name == "FixReport":  # the report of fix_paths, kept beside the code that fills it
        from linter.fix.apply import FixReport

        return FixReport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
