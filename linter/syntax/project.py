"""The modules of the scanned project, found and parsed at most once each, lazily: the files
being checked, and the modules they import constants from (found relative to the importing
file, never imported or run)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterable, Optional, Sequence, Tuple

from linter.syntax.module import ModuleInfo


class Unmasked(BaseException):
    """A module reached a name that a statement left out of another module's parse binds
    (linter.source.statements): the run must parse every statement (linter.analysis.run).
    A BaseException, like KeyboardInterrupt: the analysis guards each file and each step with
    `except Exception` (a bug of ours costs that file, not the run), and this must pass them."""


def _reached(target: ModuleInfo, importer: ModuleInfo) -> ModuleInfo:
    """`target` as read from `importer`: where statements of `target` were left out, none of
    their names may be a word of the importer's parsed code."""
    if target.hidden and not target.hidden.isdisjoint(importer.reach_words()):
        raise Unmasked(str(target.path))
    return target


class Project:
    """Finds and parses the modules of the scanned project, each at most once."""

    def __init__(self, roots: Sequence[Path] = ()):
        self.roots = [r.resolve() for r in roots]
        self._by_path: Dict[Path, Optional[ModuleInfo]] = {}
        self._found: Dict[Tuple[Path, str, int], Optional[Path]] = {}
        self._settings: Dict[Path, Optional[Path]] = {}

    def load(
        self,
        path: Path,
        display: Optional[str] = None,
        source: Optional[bytes] = None,
        tree=None,
        masked=None,
        accepted: bool = False,
    ):
        """The parsed module at `path` (None if it cannot be read, or is an imported module too
        large to parse for its constants); `tree`: `source` already parsed; `masked` and
        `accepted`: see ModuleInfo."""
        from linter.source.files import MAX_PARSE_BYTES

        key = path.resolve()
        if key not in self._by_path or source is not None:
            if source is None:
                try:
                    if key.stat().st_size > MAX_PARSE_BYTES:
                        self._by_path[key] = None
                        return None
                    source = key.read_bytes()
                except OSError:
                    self._by_path[key] = None
                    return None
            self._by_path[key] = ModuleInfo(key, display or str(path), source, tree, masked, accepted)
        return self._by_path[key]

    def adopt(self, info: ModuleInfo) -> ModuleInfo:
        """An earlier run's module of the same bytes, as this project's: its tree, scopes and
        positions are its own; what earlier analysis derived from other modules is dropped."""
        info.for_new_run()
        self._by_path[info.path] = info
        return info

    def modules_read(self) -> Dict[Path, bytes]:
        """Every module file this project read (checked, or imported for its constants)."""
        return {path: info.source for path, info in self._by_path.items() if info is not None}

    def loaded(self, path: Path) -> Optional[ModuleInfo]:
        """The module already parsed for `path`, if any (nothing is read)."""
        return self._by_path.get(path.resolve())

    def _search_dirs(self, path: Path) -> Iterable[Path]:
        """Where an absolute import in the file at `path` is looked for: its directory and those
        above it inside a root, then the working directory."""
        directory = path.parent
        seen = set()
        while True:
            if directory not in seen:
                seen.add(directory)
                yield directory
            inside = any(_is_relative_to(directory, root) and directory != root for root in self.roots)
            if not inside or directory.parent == directory:
                break
            directory = directory.parent
        cwd = Path(os.getcwd()).resolve()
        if cwd not in seen:
            yield cwd

    def find_module(self, importer: ModuleInfo, dotted: str, level: int) -> Optional[ModuleInfo]:
        """The project module `dotted` (with `level` leading dots) as imported from
        `importer`, parsed; None when it is not a file of the project (a third-party or
        standard-library module, which is never read)."""
        path = self.locate(importer.path, dotted, level)
        if path is None:
            return None
        info = self.load(path)
        return _reached(info, importer) if info is not None and info.module is not None else None

    def django_settings(self, importer: ModuleInfo) -> Optional[ModuleInfo]:
        """The settings module a Django project's `from django.conf import settings` reads:
        the nearest `settings.py` (or `settings/__init__.py`) in the importer's directory or
        above, or one level below one of them (the project package beside the apps)."""
        for directory in self._search_dirs(importer.path):
            if directory not in self._settings:
                candidates = [directory / "settings.py", directory / "settings" / "__init__.py"]
                candidates += sorted(directory.glob("*/settings.py")) + sorted(directory.glob("*/settings/__init__.py"))
                self._settings[directory] = next((c for c in candidates if c.is_file()), None)
            path = self._settings[directory]
            if path is not None:
                info = self.load(path)
                if info is not None and info.module is not None:
                    return _reached(info, importer)
        return None

    def locate(self, path: Path, dotted: str, level: int) -> Optional[Path]:
        """The project file that `dotted` (with `level` leading dots) names when the file at
        `path` imports it, as find_module finds it; nothing is read or parsed."""
        key = (path.parent, dotted, level)
        if key not in self._found:
            self._found[key] = self._find_file(path, dotted, level)
        return self._found[key]

    def _find_file(self, path: Path, dotted: str, level: int) -> Optional[Path]:
        parts = [p for p in dotted.split(".") if p]
        if level:
            base = path.parent
            for _ in range(level - 1):
                base = base.parent
            candidates = [base]
        else:
            if not parts:
                return None
            candidates = list(self._search_dirs(path))
        for base in candidates:
            target = base.joinpath(*parts)
            for found in (target.with_name(target.name + ".py") if parts else None, target / "__init__.py"):
                if found is not None and found.is_file():
                    return found
        return None


def _is_relative_to(path: Path, other: Path) -> bool:
    try:
        path.relative_to(other)
        return True
    except ValueError:
        return False
