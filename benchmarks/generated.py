"""Generated Clever integrations with fresh seeds, judged by the requests they make (issue 28).

Draws PROGRAMS programs from the grammar of tests/generated/grammar.py, each choice on its own,
and has the runtime oracle (tests/generated/oracle.py) judge each: P1 (every v2 request is
reported at medium or above on a line of its literals), P2 (after `fix` the program returns the
same people, every request succeeds, a v2 request left is one it made before, nothing is
half-migrated), P3 (`check` after `fix` reports every v2 request still made). Prints the
failures by property, the failure rate of each choice, one program per failing choice, how
often fix migrated a program completely, and the time per program. Exit status 1 when any
program fails.

    python benchmarks/generated.py [--programs 10000] [--seed N] [--show 3] [--json]

Without --seed, the seed is fresh (printed, so that a failure can be drawn again)."""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.generated import grammar  # noqa: E402  (the repository root is put on the path first)
from tests.generated.oracle import GeneratorError, judge  # noqa: E402

AXES = ("base", "module", "literal", "build", "role", "send", "spread")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=1000, help="how many programs (default 1000)")
    parser.add_argument("--seed", type=int, default=None, help="the seed (default: a fresh one, printed)")
    parser.add_argument("--show", type=int, default=3, help="failing programs to print in full (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    totals: collections.Counter = collections.Counter()
    failing: dict = {"P1": collections.Counter(), "P2": collections.Counter(), "P3": collections.Counter()}
    programs_failing = collections.Counter()
    examples = []
    generator_errors = []
    migrated = changed = 0
    started = time.perf_counter()
    for _ in range(args.programs):
        program = grammar.build(grammar.choose(rng))
        with tempfile.TemporaryDirectory(prefix="clever-upgrade-generated-") as directory:
            try:
                verdict = judge(program, Path(directory))
            except GeneratorError as error:
                generator_errors.append(str(error))
                continue
        values = [f"{axis}={getattr(program.choices, axis)}" for axis in AXES]
        totals.update(values)
        migrated += verdict.migrated
        changed += verdict.changed
        properties = sorted({failure.split(" ", 1)[0] for failure in verdict.failures})
        for prop in properties:
            programs_failing[prop] += 1
            failing[prop].update(values)
        if verdict.failures and len(examples) < args.show:
            examples.append((program, verdict.failures))
    seconds = time.perf_counter() - started
    judged = args.programs - len(generator_errors)
    figures = {
        "seed": seed,
        "programs": judged,
        "seconds": round(seconds, 1),
        "seconds_per_program": round(seconds / max(judged, 1), 3),
        "failing": dict(programs_failing),
        "fix_changed": changed,
        "fix_migrated_completely": migrated,
        "generator_errors": len(generator_errors),
        "rates": {
            prop: {value: round(count / totals[value], 3) for value, count in counter.most_common()}
            for prop, counter in failing.items()
            if counter
        },
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"seed {seed}: {judged} programs in {seconds:.1f} s ({figures['seconds_per_program']} s each)")
        for prop in ("P1", "P2", "P3"):
            print(f"  {prop} failing: {programs_failing[prop]}")
        print(f"  fix changed {changed}, migrated completely {migrated} (the rest held, with reasons)")
        for prop, rates in figures["rates"].items():
            worst = ", ".join(f"{value} {rate:.0%}" for value, rate in list(rates.items())[:6])
            print(f"  {prop} by choice: {worst}")
        for error in generator_errors[:3]:
            print(f"  generator error: {error}")
        for program, failures in examples:
            print(f"\n--- {program.choices.label()}")
            for failure in failures:
                print(f"    {failure}")
            for path, text in sorted(program.files.items()):
                if text:
                    print(f"  == {path}")
                    print("\n".join(f"  {n:3} {line}" for n, line in enumerate(text.splitlines(), 1)))
    return 1 if any(programs_failing.values()) or generator_errors else 0


if __name__ == "__main__":
    sys.exit(main())
