"""The graded corpus of tests/realistic/: each case's `expected.txt` lists, by hand, every v2
construct a careful reviewer marks in its `project/` (path:line, rule code, the v3.1 form), and
its `twin/` (the v3.1 form, or another vendor's) must give nothing at the default confidence.
tests/test_realistic.py asserts both exactly; benchmarks/recall.py prints recall, precision and
v3 accuracy per construct class from the same grading."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Tuple

ROOT = Path(__file__).resolve().parent / "realistic"

Mark = Tuple[str, int, str]  # (path, line, code)


@dataclass
class Expected:
    case: str
    klass: str  # the construct class, "1 bare role segment handed to a request helper"
    marks: List[Tuple[Mark, Optional[str]]]  # each with its v3.1 form (None: the finding has none)


@dataclass
class Grade:
    case: str
    klass: str
    marked: int = 0
    reported: int = 0  # findings at the default confidence in the project
    found: List[Mark] = field(default_factory=list)  # marked and reported
    missed: List[Mark] = field(default_factory=list)  # marked, not reported
    extra: List[str] = field(default_factory=list)  # reported, not marked
    right_v3: List[Mark] = field(default_factory=list)  # found with the marked v3.1 form
    wrong_v3: List[Tuple[Mark, Optional[str], Optional[str]]] = field(default_factory=list)  # (mark, marked, reported)
    twin_findings: List[str] = field(default_factory=list)


def cases() -> List[str]:
    return sorted(p.name for p in ROOT.iterdir() if (p / "expected.txt").is_file())


def expected(case: str) -> Expected:
    """`# class: ...` names the construct class; each other line is `path:line CODE v3`, the v3
    form as the finding states it (it may hold spaces) or `-`."""
    klass = ""
    marks: List[Tuple[Mark, Optional[str]]] = []
    for line in (ROOT / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# class:"):
            klass = line.split(":", 1)[1].strip()
        if not line.strip() or line.startswith("#"):
            continue
        place, code, v3 = line.split(None, 2)
        path, number = place.rsplit(":", 1)
        marks.append(((path, int(number), code), None if v3 == "-" else v3))
    return Expected(case, klass, marks)


def findings(project: Path) -> List[Tuple[Mark, Optional[str], str]]:
    """((path, line, code), v3, message) of `check` at the default confidence, run on a copy
    (a case inside this repository would otherwise be read as part of the repository's project)."""
    from linter.api import Options, lint_paths

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / project.parent.name / project.name
        shutil.copytree(project, copy)
        result = lint_paths([str(copy)], Options())
        out = []
        for f in result.visible:
            path = Path(f.path).resolve().relative_to(copy.resolve()).as_posix()
            out.append(((path, f.span.line, f.code), f.v3, f.message))
        return out


def grade(case: str) -> Grade:
    """Match each finding to a mark of the same place and code: first one with the same v3.1
    form, else any (a found construct with a wrong replacement)."""
    marked = expected(case)
    result = Grade(case, marked.klass, marked=len(marked.marks))
    open_marks = list(marked.marks)
    reported = findings(ROOT / case / "project")
    result.reported = len(reported)
    unmatched = []
    for mark, v3, message in reported:
        exact = next((m for m in open_marks if m == (mark, v3 or None)), None)
        if exact is not None:
            open_marks.remove(exact)
            result.found.append(mark)
            result.right_v3.append(mark)
        else:
            unmatched.append((mark, v3, message))
    for mark, v3, message in unmatched:
        loose = next((m for m in open_marks if m[0] == mark), None)
        if loose is not None:
            open_marks.remove(loose)
            result.found.append(mark)
            result.wrong_v3.append((mark, loose[1], v3))
        else:
            result.extra.append(f"{mark[0]}:{mark[1]} {mark[2]} {v3 or '-'}  {message}")
    result.missed = [m for m, _ in open_marks]
    twin = ROOT / case / "twin"
    if twin.is_dir():
        result.twin_findings = [f"{m[0]}:{m[1]} {m[2]}  {message}" for m, _, message in findings(twin)]
    return result
