"""Writing several files as one change: every new file is prepared beside its target first,
then all are renamed into place with Ctrl-C deferred, so that an interrupted `fix` never
leaves a version pin moved without the paths on it (or the reverse).

A journal, written once every temporary file is complete and removed after the last rename,
lists the renames. A run killed between the two (SIGKILL, a power cut) leaves the journal:
the next run completes the renames (`recover`), since every temporary file already holds its
file's whole new content."""

from __future__ import annotations

import json
import os
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

JOURNAL = "fix-journal.json"


class TransactionError(Exception):
    """Nothing was written: `path` stopped the change, for `reason`."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def commit(changes: Dict[Path, Tuple[bytes, bytes]], journal_dir: Path) -> None:
    """Replace each file by its new bytes, all or none: `changes` maps a path to (the bytes
    it was read with, its new bytes). A file that changed since it was read, is read-only or
    cannot be written stops the whole change before anything is renamed."""
    prepared: List[Tuple[Path, str]] = []
    try:
        for path, (expected, data) in sorted(changes.items()):
            prepared.append((path, _prepare(path, expected, data)))
        journal = _write_journal(journal_dir, prepared)
    except BaseException:
        for _, temporary in prepared:
            _unlink(temporary)
        raise
    with _deferred_interrupt():
        for path, temporary in prepared:
            os.replace(temporary, path)
        _unlink(str(journal))


def recover(journal_dir: Path) -> List[str]:
    """Complete the renames of a change that was killed half-way; the files completed."""
    journal = journal_dir / JOURNAL
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["renames"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    done = []
    for target, temporary in entries:
        if os.path.exists(temporary):
            os.replace(temporary, target)
            done.append(target)
    _unlink(str(journal))
    return done


def _prepare(path: Path, expected: bytes, data: bytes) -> str:
    try:
        current = path.read_bytes()
        info = path.stat()
    except OSError as exc:
        raise TransactionError(path, f"cannot read it again ({exc.strerror})") from None
    if current != expected:
        raise TransactionError(path, "it changed since it was checked; run fix again")
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise TransactionError(path, "it is read-only")  # even for root, who could write it anyway
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".clever-upgrade")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
    except OSError as exc:
        _unlink(temporary)
        raise TransactionError(path, f"cannot write it ({exc.strerror})") from None
    return temporary


def _write_journal(directory: Path, prepared: List[Tuple[Path, str]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    journal = directory / JOURNAL
    payload = json.dumps({"renames": [[str(path), temporary] for path, temporary in prepared]})
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".journal.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(payload)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, journal)
    return journal


@contextmanager
def _deferred_interrupt() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM wait until the block is done, then take effect."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: List[int] = []
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            if received[0] == signal.SIGINT:
                raise KeyboardInterrupt
            os.kill(os.getpid(), received[0])


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
