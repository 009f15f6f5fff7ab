"""Reproducible speed and memory measurements of clever-upgrade (not part of the test run).

    python benchmarks/run.py --lines 1000000 --seed 1        # the synthetic monorepo
    python benchmarks/run.py --lines 250000 --real           # also an installed package tree

It builds a synthetic monorepo deterministically from a seed (about 200 lines a file, 2 % of
the files holding Clever v2 code of every construction form, the rest ordinary Python), then
times, each in a fresh process: `check` (cold), `fix --diff`, `grep -rlE` over the same tree
(the I/O floor) and a plain LibCST parse of every file (the "parse everything" baseline). It
prints wall time, CPU time, lines/s, files/s and peak RSS for each, and the ratios."""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLEVER_FORMS = [
    'BASE = "https://api.clever.com/v2.1"\n\ndef teachers(session):\n    return session.get(BASE + "/teachers")\n',
    'def sections(session, tid):\n    return session.get(f"https://api.clever.com/v2.1/teachers/{tid}/sections")\n',
    'def students(session, sid):\n    return session.get("https://api.clever.com/v2.0/students/%s/contacts" % sid)\n',
    'URL = "https://api.clever.com/v2.1/sections/{}/students"\n\ndef roster(session, s):\n    return session.get(URL.format(s))\n',
    'HANDLERS = {"students.created": print, "teachers.updated": print}\nPARAMS = {"record_type": ["students", "teachers"]}\n',
    'import requests\nME = "https://api.clever.com/me"\n\ndef role(token):\n    me = requests.get(ME).json()\n    return me["data"]["type"] == "teacher"\n',
]

ORDINARY = '''
class Record{n}:
    """An ordinary model of the application."""

    def __init__(self, name, items=None):
        self.name = name
        self.items = list(items or [])

    def total(self):
        return sum(item.get("price", 0) * item.get("count", 1) for item in self.items)

    def describe(self):
        return f"{{self.name}}: {{len(self.items)}} items, {{self.total()}} in all"


def helper_{n}(values):
    result = {{}}
    for index, value in enumerate(values):
        if value % 3 == 0:
            result[index] = value * 2
        elif value % 5 == 0:
            result[index] = str(value)
    return result
'''


def build(root: Path, lines: int, seed: int) -> tuple:
    rng = random.Random(seed)
    files = max(1, lines // 200)
    written = 0
    for number in range(files):
        package = root / f"pkg{number % 50}"
        package.mkdir(parents=True, exist_ok=True)
        body = []
        size = 0
        n = 0
        while size < 200:
            chunk = ORDINARY.format(n=n)
            body.append(chunk)
            size += chunk.count("\n")
            n += 1
        if rng.random() < 0.02:
            body.insert(0, rng.choice(CLEVER_FORMS))
        text = "".join(body)
        (package / f"module{number}.py").write_text(text)
        written += text.count("\n")
    return files, written


def measure(command, cwd: Path) -> dict:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": time.perf_counter() - start,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "rss_mb": after.ru_maxrss / 1024,
    }


PARSE_ALL = (
    "import libcst, pathlib, sys\n"
    "for p in pathlib.Path(sys.argv[1]).rglob('*.py'):\n"
    "    libcst.parse_module(p.read_bytes())\n"
)


def run_suite(name: str, tree: Path, files: int, lines: int) -> None:
    tool = [sys.executable, "-m", "linter"]
    rows = {
        "grep -rlE": ["grep", "-rlE", "clever\\.com|/v[12]\\.[0-9]|students|teachers|record_type", str(tree)],
        "libcst parse all": [sys.executable, "-c", PARSE_ALL, str(tree)],
        "check (cold)": tool + ["check", "--exit-zero", "-q", str(tree)],
        "fix --diff": tool + ["fix", "--diff", str(tree)],
    }
    print(f"\n{name}: {files} files, {lines} lines")
    print(f"{'what':<18} {'wall s':>8} {'cpu s':>8} {'lines/s':>10} {'files/s':>9} {'peak MB':>8}")
    results = {}
    for label, command in rows.items():
        result = measure(command, Path.cwd())
        results[label] = result
        print(
            f"{label:<18} {result['wall']:8.2f} {result['cpu']:8.2f} {lines / result['wall']:10.0f} "
            f"{files / result['wall']:9.0f} {result['rss_mb']:8.0f}"
        )
    check = results["check (cold)"]["wall"]
    print(f"check / grep = {check / results['grep -rlE']['wall']:.1f}x; "
          f"parse-all / check = {results['libcst parse all']['wall'] / check:.2f}x")
    print("(peak MB is the largest child process so far, as getrusage reports it)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--real", action="store_true", help="also measure the installed packages of this environment")
    args = parser.parse_args()
    os.chdir(Path(__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory() as directory:
        tree = Path(directory) / "monorepo"
        files, lines = build(tree, args.lines, args.seed)
        run_suite("synthetic monorepo", tree, files, lines)
    if args.real:
        import site

        real = Path(site.getsitepackages()[0])
        python_files = list(real.rglob("*.py"))
        lines = sum(p.read_bytes().count(b"\n") for p in python_files)
        run_suite(f"installed packages ({real})", real, len(python_files), lines)


if __name__ == "__main__":
    main()
