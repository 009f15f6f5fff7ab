"""Recall, precision and v3.1 accuracy of `check` on the graded corpus of tests/realistic/.

Each case with an `expected.txt` lists, by hand, every v2 construct of its `project/` (see
tests/grading.py); its `twin/` (the v3.1 form, or another vendor) should give nothing. Per
construct class:
- recall: marked constructs reported (same file, line and rule code) / marked constructs;
- precision: reported findings that are marked / every finding reported at the default
  confidence, in the project and in its twin;
- v3 accuracy: found constructs whose marked v3.1 form is the one the finding gives / found
  constructs that have a v3.1 form.

    python benchmarks/recall.py [--json] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import grading  # noqa: E402  (the repository root is put on the path first)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _class_order(case: str):
    number = grading.expected(case).klass.split(" ", 1)[0]
    return (int(number), case) if number.isdigit() else (10**6, case)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="list each miss, extra finding and wrong v3.1 form")
    args = parser.parse_args()
    rows = []
    totals = {"marked": 0, "found": 0, "reported": 0, "false": 0, "with_v3": 0, "right_v3": 0}
    for case in sorted(grading.cases(), key=_class_order):
        grade = grading.grade(case)
        marks = dict(((m, v3) for m, v3 in grading.expected(case).marks))
        with_v3 = [m for m in grade.found if marks.get(m) is not None]
        right = [m for m in grade.right_v3 if marks.get(m) is not None]
        false = len(grade.extra) + len(grade.twin_findings)
        row = {
            "class": grade.klass,
            "case": case,
            "marked": grade.marked,
            "found": len(grade.found),
            "reported": grade.reported + len(grade.twin_findings),
            "false": false,
            "recall": _ratio(len(grade.found), grade.marked),
            "precision": _ratio(len(grade.found), len(grade.found) + false),
            "v3_accuracy": _ratio(len(right), len(with_v3)),
        }
        rows.append(row)
        for key, value in (
            ("marked", grade.marked),
            ("found", len(grade.found)),
            ("reported", row["reported"]),
            ("false", false),
            ("with_v3", len(with_v3)),
            ("right_v3", len(right)),
        ):
            totals[key] += value
        if args.verbose:
            for mark in grade.missed:
                print(f"  miss   {case}: {mark[0]}:{mark[1]} {mark[2]}", file=sys.stderr)
            for extra in grade.extra + grade.twin_findings:
                print(f"  extra  {case}: {extra}", file=sys.stderr)
            for mark, wanted, given in grade.wrong_v3:
                print(f"  v3     {case}: {mark[0]}:{mark[1]} {mark[2]} wanted {wanted}, gave {given}", file=sys.stderr)
    overall = {
        "marked": totals["marked"],
        "found": totals["found"],
        "false": totals["false"],
        "recall": _ratio(totals["found"], totals["marked"]),
        "precision": _ratio(totals["found"], totals["found"] + totals["false"]),
        "v3_accuracy": _ratio(totals["right_v3"], totals["with_v3"]),
    }
    if args.json:
        print(json.dumps({"classes": rows, "overall": overall}, indent=2))
        return 0
    print(f"{'class':<72} {'marked':>6} {'found':>5} {'false':>5} {'recall':>6} {'prec.':>6} {'v3':>6}")
    for row in rows:
        print(
            f"{row['class'][:72]:<72} {row['marked']:>6} {row['found']:>5} {row['false']:>5} "
            f"{row['recall']:>6.2f} {row['precision']:>6.2f} {row['v3_accuracy']:>6.2f}"
        )
    print(
        f"{'all classes':<72} {overall['marked']:>6} {overall['found']:>5} {overall['false']:>5} "
        f"{overall['recall']:>6.2f} {overall['precision']:>6.2f} {overall['v3_accuracy']:>6.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
