"""Forked worker processes, for the parts of a run that split by file: the prefilter's byte
tests, the parse ahead (linter.syntax.ahead), fix's rewrites. Workers are forked, so they
inherit what the caller prepared (a Trigger, the texts held in memory) without pickling it.
A worker that cannot start, fails or dies (killed for its memory, say) never hangs the run:
`concurrent.futures` reports a broken pool, and the callers do the work in this process."""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, List, Optional, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

FAILURES = (OSError, RuntimeError, ValueError, ImportError)  # BrokenProcessPool is a RuntimeError


def _context():
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None  # Windows, and macOS builds without fork: one process
    return multiprocessing.get_context("fork")


def fork_map(work: Callable[[T], R], items: Sequence[T], jobs: int) -> Optional[List[R]]:
    """`work` of each item, in order, computed in `jobs` forked processes; None when they
    cannot be used."""
    context = _context()
    if context is None or jobs < 2 or not items:
        return None
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            return list(pool.map(work, items))
    except FAILURES:
        return None


class Background:
    """`work(*args)` in one forked process while this one goes on; `result()` is its answer,
    or None when it failed."""

    def __init__(self, work: Callable[..., R], *args) -> None:
        self._pool: Optional[ProcessPoolExecutor] = None
        self._future: Optional[Future] = None
        context = _context()
        if context is None:
            return
        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._future = self._pool.submit(work, *args)  # the fork happens here
        except FAILURES:
            self.close()

    @property
    def started(self) -> bool:
        return self._future is not None

    def result(self):
        if self._future is None:
            return None
        try:
            return self._future.result()
        except Exception:  # noqa: BLE001 - the worker's error or death: the caller does the work
            return None
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
