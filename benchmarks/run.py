"""Reproducible speed and memory measurements of clever-upgrade (not part of the test run).

    python benchmarks/run.py --lines 1000000 --seed 1        # the synthetic monorepo
    python benchmarks/run.py --lines 250000 --real           # also an installed package tree
    python benchmarks/run.py --lines 0 --tree PATH           # only a tree of your own

It builds a synthetic monorepo deterministically from a seed (about 200 lines a file, 2 % of
the files holding Clever v2 code of every construction form, the rest ordinary Python), then
times, each in a fresh process: `check` (cold), `fix --diff`, `grep -rlE` over the same tree
(the I/O floor) and a plain LibCST parse of every file (the "parse everything" baseline). It
prints wall time, CPU time, lines/s, files/s and peak RSS for each, and the ratios; then a
pre-commit-sized run (5 named files, a fresh interpreter each time) of the check and fix
hooks, in their own processes and handed to a running daemon (`--daemon`). The package's
bytecode is compiled first, as an installation has it (for the hooks, an installation as
pre-commit makes it, not an editable one, is also what users run: time both if they differ)."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLEVER_FORMS = [
    'BASE = "https://api.clever.com/v2.1"\n\ndef teachers(session):\n    return session.get(BASE + "/teachers")\n',
    'def sections(session, tid):\n    return session.get(f"https://api.clever.com/v2.1/teachers/{tid}/sections")\n',
    'def students(session, sid):\n    return session.get("https://api.clever.com/v2.0/students/%s/contacts" % sid)\n',
    (
        'URL = "https://api.clever.com/v2.1/sections/{}/students"\n\ndef roster(session, s):\n'
        "    return session.get(URL.format(s))\n"
    ),
    (
        'HANDLERS = {"students.created": print, "teachers.updated": print}\n'
        'PARAMS = {"record_type": ["students", "teachers"]}\n'
    ),
    (
        'import requests\nME = "https://api.clever.com/me"\n\ndef role(token):\n    me = requests.get(ME).json()\n'
        '    return me["data"]["type"] == "teacher"\n'
    ),
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


def measure(command, cwd: Path, env=None) -> dict:
    """Wall and CPU time (the command and its children) and peak RSS of one command, run
    through /usr/bin/time-like accounting: os.wait4 gives each child's own maximum RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


REPEAT = 3  # runs of check (cold) and fix --diff; the best is reported

PARSE_ALL = (
    "import libcst, pathlib, sys\n"
    "for p in pathlib.Path(sys.argv[1]).rglob('*.py'):\n"
    "    libcst.parse_module(p.read_bytes())\n"
)


def _row(label: str, result: dict, files: int, lines: int) -> None:
    print(
        f"{label:<22} {result['wall']:8.2f} {result['cpu']:8.2f} {lines / result['wall']:10.0f} "
        f"{files / result['wall']:9.0f} {result['rss_mb']:8.0f}"
    )


def _header(name: str, files: int, lines: int) -> None:
    print(f"\n{name}: {files} files, {lines} lines")
    print(f"{'what':<22} {'wall s':>8} {'cpu s':>8} {'lines/s':>10} {'files/s':>9} {'peak MB':>8}")


def run_suite(name: str, tree: Path, files: int, lines: int, baselines: bool = True) -> dict:
    """check cold (no cache), check cached (the second of two runs), fix --diff; with
    `baselines`, grep -rlE and a LibCST parse of every file side by side."""
    cache = Path(tempfile.mkdtemp(prefix="clever-upgrade-bench-cache-"))
    env = dict(os.environ, CLEVER_UPGRADE_CACHE_DIR=str(cache))
    # every file of the tree is measured, also where a .gitignore leaves it out (an installed
    # package tree inside a gitignored virtualenv)
    tool = [sys.executable, "-m", "linter"]
    rows = {}
    if baselines:
        rows["grep -rlE"] = ["grep", "-rlE", "clever\\.com|/v[12]\\.[0-9]|students|teachers|record_type", str(tree)]
        rows["libcst parse all"] = [sys.executable, "-c", PARSE_ALL, str(tree)]
    rows["check (cold)"] = tool + ["check", "--no-cache", "--exit-zero", "-q", "--no-respect-gitignore", str(tree)]
    rows["check (cache filled)"] = tool + ["check", "--exit-zero", "-q", "--no-respect-gitignore", str(tree)]
    rows["check (cached)"] = tool + ["check", "--exit-zero", "-q", "--no-respect-gitignore", str(tree)]
    rows["fix --diff"] = tool + ["fix", "--no-cache", "--diff", "--no-respect-gitignore", str(tree)]
    _header(name, files, lines)
    results = {}
    runs = {}
    for label, command in rows.items():
        # the tool's own cold runs are repeated (this machine's timings vary by a quarter from
        # run to run): the best is shown, every run is listed below the table
        times = REPEAT if label in ("check (cold)", "fix --diff") else 1
        measured = [measure(command, Path.cwd(), env) for _ in range(times)]
        result = min(measured, key=lambda r: r["wall"])
        results[label] = result
        runs[label] = [r["wall"] for r in measured]
        if label != "check (cache filled)":
            _row(label, result, files, lines)
    for label in ("check (cold)", "fix --diff"):
        print(f"{label}: best of {len(runs[label])}; runs: " + ", ".join(f"{w:.2f} s" for w in runs[label]))
    shutil.rmtree(cache, ignore_errors=True)
    check = results["check (cold)"]["wall"]
    if baselines:
        print(
            f"check / grep = {check / results['grep -rlE']['wall']:.1f}x; "
            f"parse-all / check = {results['libcst parse all']['wall'] / check:.1f}x"
        )
    print("(peak MB: the largest resident set of that command's process)")
    return results


def run_precommit(tree: Path) -> None:
    """What a pre-commit hook does: a fresh interpreter on 5 named files, 2 with Clever code;
    then the same hooks with `args: [--daemon]`, handed to the resident process."""
    clever = sorted(p for p in tree.rglob("*.py") if b"clever" in p.read_bytes())[:2]
    plain = sorted(p for p in tree.rglob("*.py") if b"clever" not in p.read_bytes())[:3]
    named = [str(p) for p in clever + plain]
    command = [sys.executable, "-m", "linter", "check", "--no-cache", "--exit-zero", "-q"] + named
    runs = [measure(command, Path.cwd(), dict(os.environ)) for _ in range(5)]
    print(f"\npre-commit, 5 files (2 with Clever code), fresh interpreter: {_best_median(runs)}")
    # the fix hook on the same 5 files: a subset run reads the whole project (from its
    # pyproject.toml) to know every use of a base; with the cache warm that read is one entry
    (tree / "pyproject.toml").write_text('[project]\nname = "monorepo"\n')
    cache = Path(tempfile.mkdtemp(prefix="clever-upgrade-bench-cache-"))
    folder = tempfile.mkdtemp(prefix="cud-")  # the daemon's sockets
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # the daemon is off on CI
    env.update(CLEVER_UPGRADE_CACHE_DIR=str(cache), CLEVER_UPGRADE_DAEMON_DIR=folder)
    fix = [sys.executable, "-m", "linter", "fix", "--diff"] + named
    daemon = [sys.executable, "-m", "linter", "daemon"]
    try:
        cold = measure(fix, Path.cwd(), env)
        runs = [measure(fix, Path.cwd(), env) for _ in range(5)]
        print(f"fix hook, 5 files of the project: cold {cold['wall']:.3f} s; cache warm: {_best_median(runs)}")
        # with `args: [--daemon]`: started here beforehand, as the first hook run would start it
        subprocess.run(daemon + ["start"], env=env, check=True, capture_output=True)
        for label, own in (("check", command), ("fix (cache warm)", fix)):
            handed = own + ["--daemon"]
            expected = subprocess.run(own, capture_output=True, env=env).stdout
            assert subprocess.run(handed, capture_output=True, env=env).stdout == expected, "daemon output differs"
            runs = [measure(handed, Path.cwd(), env) for _ in range(10)]
            print(f"{label} hook with --daemon: {_best_median(runs)}")
        status = subprocess.run(daemon + ["status"], env=env, capture_output=True, text=True).stdout
        pid = status.split(":", 1)[0].split()[-1]
        rss = Path(f"/proc/{pid}/status")
        if rss.exists():
            kb = next(line.split()[1] for line in rss.read_text().splitlines() if line.startswith("VmRSS:"))
            print(f"the daemon's resident set while idle: {int(kb) / 1024:.0f} MB")
    finally:
        subprocess.run(daemon + ["stop"], env=env, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        (tree / "pyproject.toml").unlink()
    for label, argv in (("--version", ["--version"]),):
        runs = [measure([sys.executable, "-m", "linter"] + argv, Path.cwd(), dict(os.environ)) for _ in range(5)]
        print(f"clever-upgrade {label}: best of 5 {min(r['wall'] for r in runs):.3f} s wall")


def _best_median(runs) -> str:
    walls = sorted(r["wall"] for r in runs)
    return f"best of {len(walls)} {walls[0]:.3f} s wall, median {walls[len(walls) // 2]:.3f} s"


def run_django() -> None:
    """check of Django 5.2.8 (no Clever code at all) against grep -rlE over the same files, best
    of 3 each, fresh processes: the cost of a run that finds nothing to parse."""
    import zipfile

    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "django==5.2.8", "-d", directory], check=True
        )
        wheel = next(Path(directory).glob("*.whl"))
        tree = Path(directory) / "django"
        zipfile.ZipFile(wheel).extractall(tree)
        pattern = "clever\\.com|/v[12]\\.[0-9]|students|teachers|record_type"
        grep = min(measure(["grep", "-rlE", pattern, str(tree)], Path.cwd())["wall"] for _ in range(3))
        runs = [
            measure([sys.executable, "-m", "linter", "check", "--no-cache", "--exit-zero", "-q", str(tree)], Path.cwd())
            for _ in range(3)
        ]
        check = min(r["wall"] for r in runs)
        files = sum(1 for _ in tree.rglob("*.py"))
        print(
            f"\nDjango 5.2.8 ({files} Python files): check {check:.2f} s (best of 3, "
            f"{max(r['rss_mb'] for r in runs):.0f} MB), grep -rlE {grep:.2f} s: {check / grep:.1f}x grep"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--scaling", action="store_true", help="also check cold at 1/4 and 1/2 of --lines (linear growth)"
    )
    parser.add_argument("--real", action="store_true", help="also measure the installed packages of this environment")
    parser.add_argument(
        "--tree", action="append", default=[], metavar="PATH", help="also measure this source tree (repeatable)"
    )
    parser.add_argument(
        "--django", action="store_true", help="also measure Django 5.2.8 (its wheel is downloaded, never kept)"
    )
    args = parser.parse_args()
    trees = [Path(t).resolve() for t in args.tree]
    os.chdir(Path(__file__).resolve().parent.parent)
    # measure the tool as installed: pip writes the package's bytecode at install time, while a
    # checkout run with PYTHONDONTWRITEBYTECODE set would compile every module on every start
    subprocess.run([sys.executable, "-m", "compileall", "-q", "linter", "codemods"], check=True)
    if args.lines > 0:
        with tempfile.TemporaryDirectory() as directory:
            tree = Path(directory) / "monorepo"
            files, lines = build(tree, args.lines, args.seed)
            run_suite("synthetic monorepo", tree, files, lines)
            run_precommit(tree)
    if args.scaling and args.lines > 0:
        print("\nscaling: check (cold) by size")
        for size in (args.lines // 4, args.lines // 2, args.lines):
            with tempfile.TemporaryDirectory() as directory:
                tree = Path(directory) / "monorepo"
                files, lines = build(tree, size, args.seed)
                result = measure(
                    [sys.executable, "-m", "linter", "check", "--no-cache", "--exit-zero", "-q", str(tree)], Path.cwd()
                )
                print(
                    f"{lines:>9} lines {files:>6} files: {result['wall']:6.2f} s wall, "
                    f"{lines / result['wall']:8.0f} lines/s, {result['wall'] / lines * 1e6:5.2f} s per million lines, "
                    f"{result['rss_mb']:5.0f} MB"
                )
    if args.real:
        import site

        trees.insert(0, Path(site.getsitepackages()[0]))
    if args.django:
        run_django()
    for real in trees:
        python_files = [p for p in real.rglob("*.py") if p.is_file()]
        lines = sum(p.read_bytes().count(b"\n") for p in python_files)
        run_suite(f"real tree ({real})", real, len(python_files), lines)


if __name__ == "__main__":
    main()
