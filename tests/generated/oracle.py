"""The runtime oracle of the generated integrations (issue 28): a program's own requests, made
against the fake Clever API (linter.runtime), say what `check` must report and what `fix` may do.

- P1: every v2 request the program makes is reported by `check` at medium or above on a line
  that holds a literal the grammar put into that request, and the request's role path is named
  by a finding on such a line (its `v2`);
- P2: after `fix`, run against a fake that serves v2.x and v3.x, the program returns the same
  people, every request succeeds, every v2 request it still makes is one it made before (held),
  and it never makes v3 and v2 requests at once (half-migrated);
- P3: `check` after `fix` reports every v2 request the program still makes, as P1 does.

The program runs in this process (the interceptor the `clever_api` fixture uses), so that a few
hundred fit in the test command's time."""

from __future__ import annotations

import importlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple
from urllib.parse import urlsplit

from linter.api import Options, fix_paths, lint_paths
from linter.model import Confidence, LintResult
from linter.runtime import fake_api, intercept
from tests.generated.grammar import Program

V2_VERSIONS = ("v1.1", "v1.2", "v2.0", "v2.1")
PACKAGE = "integration"
_VERSION = re.compile(r"^/(v\d+\.\d+)(/.*)?$")


class GeneratorError(AssertionError):
    """The generated program itself is wrong: it does not run on the v2 fake."""


@dataclass
class Run:
    ids: Optional[List[str]]
    records: List[dict]
    error: Optional[str] = None


@dataclass
class Verdict:
    program: Program
    failures: List[str] = field(default_factory=list)
    changed: bool = False  # fix wrote a file
    migrated: bool = False  # after fix, the program's requests are v3.1


def people(ids: Optional[List[str]]) -> Optional[List[Tuple[str, str]]]:
    """The v3 users behind IDs of either version (a v2 ID is a role's legacy_id: contacts and
    teachers have new IDs in v3, the same people), each with the label the program put before
    it (`students:st1`), which must not change."""
    if ids is None:
        return None
    roster = fake_api.Roster.default()
    user_of: Dict[str, str] = {}
    for user in roster.users:
        for role in user["roles"].values():
            user_of.setdefault(str(role.get("legacy_id", user["id"])), user["id"])
    for user in roster.users:
        user_of[user["id"]] = user["id"]
    out = []
    for item in ids:
        label, _, found = item.rpartition(":")  # "students:st1": a label the program kept
        out.append((label, user_of.get(found, f"unknown:{found}")))
    return sorted(out)


def _version_and_path(url: str) -> Tuple[Optional[str], str]:
    path = urlsplit(url).path
    found = _VERSION.match(path)
    if found is None:
        return None, path
    return found.group(1), found.group(2) or "/"


def is_v2(url: str) -> bool:
    version, _ = _version_and_path(url)
    return version in V2_VERSIONS


def run(directory: Path, versions: Sequence[str]) -> Run:
    """Run the program in `directory` against a fake answering `versions`."""
    fake = fake_api.FakeClever(tuple(versions), fake_api.Roster.default())
    records: List[dict] = []
    purge()
    sys.path.insert(0, str(directory))
    written = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # a rewrite may keep a file's size and mtime second
    importlib.invalidate_caches()
    intercept.install((), fake, records.append)
    try:
        main = importlib.import_module(f"{PACKAGE}.main").main
        try:
            return Run(main(), records)
        except Exception as exc:  # noqa: BLE001 - the program's own failure is the finding
            return Run(None, records, f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001
        return Run(None, records, f"import failed: {type(exc).__name__}: {exc}")
    finally:
        intercept.uninstall()
        sys.dont_write_bytecode = written
        sys.path.remove(str(directory))
        purge()


def purge() -> None:
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def write(program: Program, directory: Path, files: Optional[Dict[str, str]] = None) -> None:
    for path, text in (files or program.files).items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def read(program: Program, directory: Path) -> Dict[str, str]:
    return {path: (directory / path).read_text(encoding="utf-8") for path in program.files}


def _reported(result: LintResult, directory: Path, lines: Dict[str, List[int]], url: str) -> Optional[str]:
    """None when `url` is reported as P1 asks; otherwise what is missing."""
    _, path = _version_and_path(url)
    role_path = "/" + path.strip("/").split("/")[0] if path.strip("/") else None
    wanted = {(str((directory / p).resolve()), line) for p, numbers in lines.items() for line in numbers}
    on_lines = [
        f
        for f in result.findings
        if f.confidence.rank >= Confidence.MEDIUM.rank and (str(Path(f.path).resolve()), f.span.line) in wanted
    ]
    if not on_lines:
        return "no finding at medium or above on the lines of its literals"
    named = {_version_and_path("https://x" + f.v2)[1].split("?")[0] for f in on_lines if f.v2}
    if role_path is not None and role_path not in named:
        return f"its role path {role_path} is not named on the lines of its literals"
    return None


def judge(program: Program, directory: Path) -> Verdict:
    """Write `program` into `directory` (empty), run it, check it, fix it, run and check it again."""
    verdict = Verdict(program)
    write(program, directory)
    before = run(directory, ("v2.0", "v2.1"))
    if before.error is not None or not before.records or any(r["status"] != 200 for r in before.records):
        statuses = [(r["url"], r["status"]) for r in before.records]
        raise GeneratorError(f"{program.choices.label()}: {before.error or statuses}")
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        result = lint_paths(["."], Options())
        lines = program.literal_lines()
        for url in dict.fromkeys(r["url"] for r in before.records if is_v2(r["url"])):
            missing = _reported(result, directory, lines, url)
            if missing is not None:
                verdict.failures.append(f"P1 {url}: {missing}")
        report = fix_paths(["."], Options())
        after_files = read(program, directory)
        verdict.changed = after_files != program.files
        after = run(directory, ("v2.0", "v2.1", "v3.0", "v3.1"))
        old = {r["url"] for r in before.records}
        if after.error is not None:
            verdict.failures.append(f"P2 the fixed program fails: {after.error}")
        elif people(after.ids) != people(before.ids):
            verdict.failures.append(f"P2 other people after fix: {before.ids} -> {after.ids}")
        for record in after.records:
            if record["status"] != 200:
                verdict.failures.append(f"P2 {record['url']} answered {record['status']} after fix")
        v2_after = [r["url"] for r in after.records if is_v2(r["url"])]
        v3_after = [r["url"] for r in after.records if not is_v2(r["url"])]
        for url in dict.fromkeys(v2_after):
            if url not in old:
                verdict.failures.append(f"P2 a v2 request it did not make before: {url}")
        if v2_after and v3_after:
            verdict.failures.append(f"P2 half-migrated: {sorted(set(v2_after))} beside {sorted(set(v3_after))}")
        verdict.migrated = bool(v3_after) and not v2_after
        again = report.after if report.after is not None else lint_paths(["."], Options())
        lines_after = program.literal_lines(after_files)
        for url in dict.fromkeys(v2_after):
            missing = _reported(again, directory, lines_after, url)
            if missing is not None:
                verdict.failures.append(f"P3 {url} after fix: {missing}")
    finally:
        os.chdir(cwd)
    return verdict
