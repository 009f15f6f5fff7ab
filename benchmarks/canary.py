"""The hang canary: check every Python file of some large trees one at a time, each with a time
cap, and print the slowest files and every file over a second (not part of the test run).

    python benchmarks/canary.py                          # the standard library and site-packages
                                                         # (the stdlib less its tests and site-packages)
    python benchmarks/canary.py --tree /tmp/nypl --tree /tmp/usersync --cap 20

Each file is checked on its own, then each tree given with --tree as a whole (a cap ten times
larger: the links between files cost too) (as `check FILE` does, at every confidence, with no cache and
no prefilter, so that every file is parsed and analysed: the analysis, not the filter, is what
is timed), in this process, after a warm-up. A file still running after --cap seconds is
stopped and counted as a HANG. What a file's analysis costs should grow with its size: the
report prints lines per second of the slowest files, and the worst one is what a regression
test should reproduce (its shape, in code of our own: tests/test_bounded.py)."""

from __future__ import annotations

import argparse
import signal
import sys
import sysconfig
import time
from pathlib import Path
from typing import List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Capped(BaseException):
    """The cap ran out (a BaseException: the analysis's per-module guards catch Exception)."""


def _stop(signum, frame):
    raise Capped


def check_one(path: Path, cap: float) -> Tuple[float, str]:
    from linter.api import lint_paths
    from linter.model import Confidence, Options

    options = Options(min_confidence=Confidence.LOW, cache=False, prefilter=False, jobs=1)
    signal.setitimer(signal.ITIMER_REAL, cap)
    started = time.perf_counter()
    try:
        lint_paths([str(path)], options)
        outcome = "ok"
    except Capped:
        outcome = "HANG"
    except Exception as exc:  # noqa: BLE001 - a crash is reported, the canary goes on
        outcome = f"error: {type(exc).__name__}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - started, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="append", default=[], help="a tree to check (repeatable)")
    parser.add_argument("--no-default-trees", action="store_true", help="not the standard library and site-packages")
    parser.add_argument("--cap", type=float, default=30.0, help="seconds a file may take before it is a HANG")
    parser.add_argument("--slowest", type=int, default=15, help="how many of the slowest files to list")
    parser.add_argument("--limit", type=int, default=0, help="check at most this many files of each tree (0: all)")
    args = parser.parse_args()
    trees = [Path(t) for t in args.tree]
    stdlib = Path(sysconfig.get_paths()["stdlib"])  # less its site-packages and its own test suites
    if not args.no_default_trees:
        trees += [stdlib, Path(sysconfig.get_paths()["purelib"])]
    signal.signal(signal.SIGALRM, _stop)
    warm = ROOT / "examples" / "roster_sync" / "rostering" / "sync.py"
    check_one(warm, args.cap)  # imports and first-run costs, not counted
    timings: List[Tuple[float, int, str, str]] = []
    started = time.perf_counter()
    for tree in trees:
        files = sorted(
            p
            for p in tree.rglob("*.py")
            if p.is_file() and not (tree == stdlib and {"site-packages", "test", "tests"} & set(p.parts))
        )
        if args.limit:
            files = files[: args.limit]
        for path in files:
            try:
                lines = path.read_bytes().count(b"\n") + 1
            except OSError:
                continue
            seconds, outcome = check_one(path, args.cap)
            timings.append((seconds, lines, str(path), outcome))
            if seconds > 1.0 or outcome != "ok":  # as it happens: a long run can be read while it goes
                print(f"  {seconds:8.2f} s  {lines:7d} lines  {outcome:5}  {path}", file=sys.stderr, flush=True)
        print(f"{tree}: {len(files)} files", file=sys.stderr, flush=True)
    timings.sort(reverse=True)
    total = time.perf_counter() - started
    over = [t for t in timings if t[0] > 1.0]
    hangs = [t for t in timings if t[3] == "HANG"]
    print(f"{len(timings)} files in {total:.1f} s; {len(over)} over 1 s; {len(hangs)} HANG (cap {args.cap:g} s)")
    print(f"the slowest {min(args.slowest, len(timings))}:")
    for seconds, lines, path, outcome in timings[: args.slowest]:
        print(f"  {seconds:8.2f} s  {lines:7d} lines  {lines / max(seconds, 1e-9):9.0f} lines/s  {outcome:5}  {path}")
    if over[args.slowest :]:
        print("also over 1 s:")
        for seconds, lines, path, outcome in over[args.slowest :]:
            print(f"  {seconds:8.2f} s  {lines:7d} lines  {outcome:5}  {path}")
    errors = [t for t in timings if t[3].startswith("error")]
    for _seconds, _lines, path, outcome in errors:
        print(f"  {outcome}: {path}")
    whole_hangs = 0
    for tree in [Path(t) for t in args.tree]:  # the trees given, whole: what links files costs too
        seconds, outcome = check_one(tree, args.cap * 10)
        whole_hangs += outcome == "HANG"
        print(f"whole tree {tree}: {seconds:.2f} s {outcome} (cap {args.cap * 10:g} s)")
    return 1 if hangs or errors or whole_hangs else 0


if __name__ == "__main__":
    sys.exit(main())
