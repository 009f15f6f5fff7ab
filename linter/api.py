"""The library's face: what the CLI, the codemod and other programs call.

- lint_paths(paths, options): check files and directories;
- lint_source(text, path, options): check one module given as text (its imports are read
  from disk beside `path`);
- fix_paths(paths, options, unsafe=..., diff=...): apply the fixes, until nothing changes.

Options and LintResult live in linter.model and are re-exported here."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from linter.analysis import run
from linter.model import LintResult, Options
from linter.source.files import FileKind, SourceFile, discover

__all__ = ["LintResult", "Options", "fix_paths", "lint_paths", "lint_source"]  # and FixReport, below

MAX_PASSES = 4  # fix: analyse and apply again until nothing changes, at most this often


def lint_paths(paths: Sequence[str], options: Options = Options(), progress=None) -> LintResult:
    """Check files and directories (raises linter.source.files.PathError for a missing path).
    `progress(count)` is called with the number of files, then with None after each one."""
    files = discover(paths, options.exclude, options.extend_exclude, options.follow_symlinks)
    roots = [Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent for p in paths]
    run_key = None
    if options.cache:
        from linter.source import cache

        directory = cache.location(options.config_root)
        run_key = cache.key(options, files, run.read_or_none)
        cached = cache.load(directory, run_key) if run_key is not None else None
        if cached is not None:
            return cached
    if progress is not None:
        progress(len(files))
    result = run.lint_files(files, roots, options, progress=progress)
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
):
    """Apply the chosen fixes of PATHS, group by group (linter.fix.apply), analysing again
    after each pass until nothing changes; with `diff`, compute the diffs and write nothing."""
    from linter.fix.apply import FixReport, apply_groups, choose_fixes

    report = FixReport(unsafe=unsafe)
    for _ in range(MAX_PASSES):
        result = lint_paths(paths, options)
        if report.first is None:
            report.first = result
        chosen = choose_fixes(result.visible, unsafe, select, ignore, set(report.failed))
        if not chosen or not apply_groups(chosen, diff, report) or diff:
            break
    if report.written:
        # `check` after `fix`: never cleaner than the code is (with --diff, of the code as it would be)
        overrides = {Path(path).resolve(): data for path, data in report.written.items()} if diff else None
        report.after = _lint_again(paths, options, overrides)
    return report


def _lint_again(paths: Sequence[str], options: Options, overrides) -> LintResult:
    if overrides is None:
        return lint_paths(paths, options)
    files = discover(paths, options.exclude, options.extend_exclude, options.follow_symlinks)
    roots = [Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent for p in paths]
    return run.lint_files(files, roots, options, sources=overrides)


def __getattr__(name: str):
    if name == "FixReport":  # the report of fix_paths, kept beside the code that fills it
        from linter.fix.apply import FixReport

        return FixReport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
