"""Which files to read: the paths given, directories walked, the usual noise skipped."""

from __future__ import annotations

import enum
import fnmatch
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from linter.model import UsageError

PYTHON_SUFFIXES = frozenset({".py"})
TEXT_SUFFIXES = frozenset({".env", ".ini", ".cfg", ".toml", ".yaml", ".yml", ".json"})
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".eggs",
        "build",
        "dist",
        "site-packages",
        ".clever-upgrade-cache",
        ".idea",
        ".vscode",
    }
)
MAX_TEXT_BYTES = 4 * 1024 * 1024
MAX_PARSE_BYTES = 2 * 1024 * 1024  # larger Python files are scanned as text (see CLV004)


class PathError(UsageError):
    """A path given by the user that cannot be checked."""


class FileKind(str, enum.Enum):
    PYTHON = "python"  # parsed with LibCST
    TEXT = "text"  # a configuration file, scanned for Clever URLs


@dataclass(frozen=True)
class SourceFile:
    path: Path
    display: str  # as the user gave it, or relative to what they gave
    kind: FileKind
    explicit: bool = False  # named on the command line (always parsed), not found in a directory


def file_kind(path: Path) -> Optional[FileKind]:
    return _kind_of(path.name)


def _kind_of(name: str) -> Optional[FileKind]:
    """file_kind of a file name (discovery asks it of every file it lists: no Path built)."""
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # Path.suffix
    if suffix in PYTHON_SUFFIXES:
        return FileKind.PYTHON
    if suffix in TEXT_SUFFIXES or name == ".env" or name.startswith(".env."):
        return FileKind.TEXT
    return None


def _excluded_last(patterns: Sequence[str]):
    """The exclusion test of discovery, as a function of (the parent's path relative to the
    walked root, with "/" after it; an entry's name): the entry matches an exclusion pattern,
    a name (`build`), a glob on a name (`*_pb2.py`) or on the path (`legacy/*`,
    `tests/fixtures/**`). Only the last name is tested against the name patterns: the walk
    never enters an excluded directory."""
    part_pattern, path_pattern = _exclusions(tuple(patterns))
    part, path = part_pattern.match, path_pattern.match
    return lambda prefix, name: part(name) is not None or path(prefix + name) is not None


@functools.lru_cache(maxsize=16)
def _exclusions(patterns: Tuple[str, ...]):
    """The exclusion globs as two compiled patterns: on one name, and on the whole path."""
    import re

    cleaned = [p.rstrip("/") for p in patterns]
    if not cleaned:
        never = re.compile(r"(?!)")
        return never, never
    names = "|".join(fnmatch.translate(p) for p in cleaned)
    paths = "|".join(fnmatch.translate(p) + "|" + fnmatch.translate(p + "/*") for p in cleaned)
    return re.compile(names), re.compile(paths)


def _virtualenv(entries) -> bool:
    """A directory whose listing holds a file pyvenv.cfg: a virtual environment, not walked."""
    for entry in entries:
        if entry.name == "pyvenv.cfg":
            try:
                return entry.is_file()
            except OSError:
                return False
    return False


def _display(path: str) -> str:
    return os.path.normpath(path)


def discover(
    paths: Sequence[str],
    exclude: Optional[Sequence[str]] = None,
    extend_exclude: Sequence[str] = (),
    follow_symlinks: bool = False,
    respect_gitignore: bool = False,
    skipped: Optional[Dict[str, int]] = None,
) -> List[SourceFile]:
    """Every file to check, sorted by display path. A missing path raises PathError. Files
    named explicitly are always checked; `exclude` replaces the default exclusions. Symbolic
    links are not followed out of the directory being walked unless `follow_symlinks`; with
    `respect_gitignore`, files git ignores are left out (as `git check-ignore` says: tracked
    files never are). `skipped` counts what was left out: "excluded", "symlink", "gitignored"."""
    patterns = tuple(SKIP_DIRS if exclude is None else exclude) + tuple(extend_exclude)
    counts: Dict[str, int] = skipped if skipped is not None else {}
    found = {}
    for given in paths:
        if not os.path.lexists(given):
            raise PathError(f"{given}: no such file or directory")
        if os.path.isdir(given):
            walked = list(_walk(given, patterns, follow_symlinks, counts))
            ignored = _gitignored(given, walked) if respect_gitignore else set()
            if ignored:
                counts["gitignored"] = counts.get("gitignored", 0) + len(ignored)
            for item in walked:
                if item.display not in ignored:
                    found.setdefault(item.path, item)
        elif os.path.isfile(given):
            kind = file_kind(Path(given)) or FileKind.PYTHON  # a file named explicitly is checked as Python
            item = SourceFile(Path(given).resolve(), _display(given), kind, explicit=True)
            found.setdefault(item.path, item)
        else:
            raise PathError(f"{given}: not a regular file or directory")
    return sorted(found.values(), key=lambda f: f.display)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _gitignored(root: str, items: List[SourceFile]) -> set:
    """The display paths of `items` (found under `root`) that git ignores; none outside a git
    work tree or without git."""
    import subprocess

    if not items:
        return set()
    try:
        top = subprocess.run(
            ["git", "-C", root, "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=30
        )
        if top.returncode != 0:
            return set()
        listing = "\0".join(os.path.abspath(item.display) for item in items) + "\0"
        answer = subprocess.run(
            ["git", "-C", top.stdout.strip(), "check-ignore", "--stdin", "-z"],
            input=listing.encode("utf-8", "surrogateescape"),
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if answer.returncode not in (0, 1):  # 1: nothing is ignored
        return set()
    ignored = {os.path.normcase(p) for p in answer.stdout.decode("utf-8", "surrogateescape").split("\0") if p}
    return {item.display for item in items if os.path.normcase(os.path.abspath(item.display)) in ignored}


def _walk(root: str, patterns: Sequence[str], follow_symlinks: bool, skipped: Dict[str, int]) -> Iterable[SourceFile]:
    """The files under `root`, from os.scandir entries (their types come with the listing: no
    stat, lstat or realpath per file; a directory's real path is its parent's plus its name
    unless links are followed)."""
    real_root = os.path.realpath(root)
    skip = _excluded_last(patterns)

    def count(reason: str) -> None:  # what was left out, and why
        skipped[reason] = skipped.get(reason, 0) + 1

    seen = set()
    stack = [(root, real_root, "")]
    while stack:
        directory, real, prefix = stack.pop()
        if follow_symlinks:
            real = os.path.realpath(directory)
            if real in seen:  # a symlink loop
                continue
            seen.add(real)
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            continue
        if prefix and _virtualenv(entries):  # found in its own listing: no stat per directory
            if not os.path.basename(directory).startswith("."):
                count("excluded")
            continue
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=follow_symlinks)
            except OSError:
                continue
            if is_dir:
                if not name.endswith(".egg-info") and not skip(prefix, name):
                    stack.append((entry.path, os.path.join(real, name), prefix + name + "/"))
                elif not name.startswith("."):
                    count("excluded")
                continue
            kind = _kind_of(name)
            if not kind:
                continue
            if skip(prefix, name):
                count("excluded")
                continue
            try:
                if not entry.is_file():
                    continue
                link = entry.is_symlink()
            except OSError:
                continue
            resolved = os.path.realpath(entry.path) if link else os.path.join(real, name)
            if link and not follow_symlinks and not _inside(resolved, real_root):
                count("symlink")
                continue  # a link out of the tree being checked
            yield SourceFile(Path(resolved), _display(entry.path), kind)


def python_syntax(data: bytes, filename: str = "<module>"):
    """Python's own parse of a user's file (an `ast.Module`), or None where Python refuses it.
    Quietly: the SyntaxWarnings of the user's strings (invalid escapes) are not ours to print."""
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return compile(data, filename, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        return None


def read_bytes(path: Path, limit: int = -1) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(limit)


def replace_file(path: Path, data: bytes, mode: Optional[int] = None, sync: bool = True) -> None:
    """Write `data` to a temporary file beside `path` and rename it over `path`: readers see
    the old file or the new one, never a part. Raises OSError (the temporary file removed)."""
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".clever-upgrade")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
