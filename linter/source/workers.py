"""Forked worker processes, for the parts of a run that split by file: the prefilter's byte
tests, the statements of the files to parse, the parse ahead (linter.syntax.ahead), fix's
rewrites. Workers are forked, so they inherit what the caller prepared (a Trigger, the texts
held in memory) without pickling it: `fork_each` is the one way to hand it to them.
A worker that cannot start, fails or dies (killed for its memory, say) never hangs the run:
`concurrent.futures` reports a broken pool, and the callers do the work in this process."""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, List, Optional, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

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


_SHARED: Optional[tuple] = None  # (work, items, shared) of the fork_each running, inherited through fork


def fork_each(
    work: Callable[[S, T], R], items: Sequence[T], shared: S, jobs: int, tasks_per_job: Optional[int] = None
) -> Optional[List[R]]:
    """`work(shared, item)` of each item, in order, computed in `jobs` forked processes. Neither
    `work`, `shared` nor the items are pickled: the workers inherit them through fork, and only
    the answers travel back. Each task is a run of items: `tasks_per_job` tasks a process
    (fewer cost less; more balance the load), or one item a task (None). None when workers
    cannot be used."""
    global _SHARED
    if jobs < 2 or not items:
        return None
    count = len(items)
    size = 1 if tasks_per_job is None else max(1, -(-count // (jobs * tasks_per_job)))
    tasks = [range(start, min(count, start + size)) for start in range(0, count, size)]
    _SHARED = (work, items, shared)
    try:
        found = fork_map(_task, tasks, jobs)
    finally:
        _SHARED = None
    return None if found is None else [answer for task in found for answer in task]


def _background():
    """In Background's worker: its work, with the arguments inherited through fork."""
    assert _BACKGROUND is not None
    work, args = _BACKGROUND
    return work(*args)


def _task(indices: range) -> list:
    """In a worker: the answers of one run of fork_each's items."""
    assert _SHARED is not None
    work, items, shared = _SHARED
    return [work(shared, items[index]) for index in indices]


_BACKGROUND: Optional[tuple] = None  # (work, args) of the Background starting, inherited through fork


class Background:
    """`work(*args)` in one forked process while this one goes on; `result()` is its answer,
    or None when it failed. Like fork_each's, `work` and `args` are inherited, not pickled."""

    def __init__(self, work: Callable[..., R], *args) -> None:
        global _BACKGROUND
        self._pool: Optional[ProcessPoolExecutor] = None
        self._future: Optional[Future] = None
        context = _context()
        if context is None:
            return
        _BACKGROUND = (work, args)
        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._future = self._pool.submit(_background)  # the fork happens here
        except FAILURES:
            self.close()
        finally:
            _BACKGROUND = None

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
