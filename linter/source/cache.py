"""The result cache of repeated runs (pre-commit, CI): `.clever-upgrade-cache/`.

A file's findings depend on the other files of the run (constants imported from them, the
guard that moves a version pin only with every role path on it), so results are stored per
run: one entry, keyed by the content hash (BLAKE2b) of every file of the run with its path,
the tool version and the effective configuration. A changed, added or removed file, another
option or another version is another key. A file outside the run that the analysis read (a
settings module a checked file imports its base URL from) is recorded in the entry with its
hash, and the entry holds only while every such file is unchanged. Entries are written to a temporary file and renamed
into place, so concurrent runs never see half an entry; an entry that cannot be read or does
not have the expected shape is ignored (and replaced by the next run's). The directory holds a
`.gitignore` of `*`. CLEVER_UPGRADE_CACHE_DIR in the environment puts it elsewhere."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Iterable, Optional

from linter import __version__
from linter.model import Confidence, Edit, EndpointUse, Finding, Fix, Severity, Span
from linter.source.files import replace_file

DIRECTORY = ".clever-upgrade-cache"
FORMAT = 2  # 2: entries record the files outside the run that the analysis read
MAX_ENTRIES = 64  # older entries are removed beyond this


def location(root: Optional[Path]) -> Path:
    override = os.environ.get("CLEVER_UPGRADE_CACHE_DIR")
    if override:
        return Path(override)
    return (root or Path.cwd()) / DIRECTORY


def build() -> str:
    """The tool's own build: its version, and the size and modification time of each of its
    source and catalog files, so that a checkout being worked on (an editable install, whose
    version does not move) never answers from a run of older code."""
    return f"{__version__}:{sources(Path(__file__).resolve().parent.parent)}"


@functools.lru_cache(maxsize=None)
def sources(package: Path) -> str:
    """A digest of the names, sizes and modification times of the .py and .yaml files under
    `package` (a few hundred stat calls, once a process)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def key(options, files: Iterable, read) -> Optional[str]:
    """The run's key, or None when a file cannot be read (such a run is not cached)."""
    digest = hashlib.blake2b(digest_size=20)
    settings = {
        f.name: getattr(options, f.name) for f in dataclasses.fields(options) if f.name not in ("jobs", "cache")
    }
    digest.update(f"{FORMAT}\0{build()}\0{settings!r}\0".encode())
    for item in files:
        data = read(item.path)
        if data is None:
            return None
        digest.update(f"{item.display}\0{item.kind}\0{item.explicit}\0{len(data)}\0".encode())
        digest.update(hashlib.blake2b(data, digest_size=20).digest())
    return digest.hexdigest()


def load(directory: Path, run_key: str):
    """The cached LintResult of this key, or None (missing, unreadable or malformed)."""
    from linter.model import LintResult

    try:
        data = json.loads((directory / f"{run_key}.json").read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("key") != run_key:
            return None
        dependencies = {str(k): str(v) for k, v in data["dependencies"].items()}
        if any(_digest(Path(path)) != digest for path, digest in dependencies.items()):
            return None  # an imported module changed (or is gone): the findings may have too
        return LintResult(
            findings=[_finding(f) for f in data["findings"]],
            files_scanned=int(data["files_scanned"]),
            min_confidence=Confidence(data["min_confidence"]),
            endpoint_uses=[_use(u) for u in data["endpoint_uses"]],
            suppressed=[_finding(f) for f in data["suppressed"]],
            texts={str(k): str(v) for k, v in data["texts"].items()},
            dependencies=dependencies,
            target_version=str(data.get("target_version", "v3.1")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(directory: Path, run_key: str, result) -> None:
    """Write the entry atomically; a cache that cannot be written is skipped silently."""
    payload = {
        "format": FORMAT,
        "key": run_key,
        "files_scanned": result.files_scanned,
        "min_confidence": result.min_confidence.value,
        "findings": [dataclasses.asdict(f) for f in result.findings],
        "endpoint_uses": [dataclasses.asdict(u) for u in result.endpoint_uses],
        "suppressed": [dataclasses.asdict(f) for f in result.suppressed],
        "texts": result.texts,
        "dependencies": result.dependencies,
        "target_version": result.target_version,
    }
    try:
        directory.mkdir(parents=True, exist_ok=True)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by clever-upgrade\n*\n", encoding="utf-8")
        data = json.dumps(payload, default=_enum_value).encode("utf-8")
        replace_file(directory / f"{run_key}.json", data, sync=False)
        _prune(directory)
    except OSError:
        pass


def _digest(path: Path) -> Optional[str]:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()
    except OSError:
        return None


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime if p.exists() else 0)
    for old in entries[:-MAX_ENTRIES]:
        try:
            old.unlink()
        except OSError:
            pass


def _enum_value(value):
    if isinstance(value, (Severity, Confidence)):
        return value.value
    raise TypeError(f"cannot store {type(value).__name__}")


def _span(data) -> Span:
    return Span(int(data["line"]), int(data["column"]), int(data["end_line"]), int(data["end_column"]))


def _finding(data) -> Finding:
    fix = data.get("fix")
    return Finding(
        path=str(data["path"]),
        span=_span(data["span"]),
        code=str(data["code"]),
        step=int(data["step"]),
        severity=Severity(data["severity"]),
        confidence=Confidence(data["confidence"]),
        message=str(data["message"]),
        v2=data.get("v2"),
        v3=data.get("v3"),
        fix=None
        if fix is None
        else Fix(
            tuple(Edit(str(e["path"]), _span(e["span"]), str(e["replacement"])) for e in fix["edits"]),
            bool(fix["safe"]),
            tuple(tuple(r) for r in fix.get("requires", ())),
        ),
        note=data.get("note"),
    )


def _use(data) -> EndpointUse:
    return EndpointUse(
        path=str(data["path"]),
        span=_span(data["span"]),
        endpoint=str(data["endpoint"]),
        confidence=Confidence(data["confidence"]),
        fixable=bool(data.get("fixable", False)),
    )
