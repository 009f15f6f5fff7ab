"""Example 1 end to end: the v2.1 integration runs against the fake Clever API, fails once
v2 is gone; `clever-upgrade fix` alone holds its base (a role path chosen at run time would
break) and breaks nothing; after the person's step that fix names
(examples/roster_sync/migration/), `fix` migrates the rest and the sync runs on v3.1 with the
roster the v3.1 dataset holds. No network: the fake API listens on 127.0.0.1 in this process
and is shut down by the fixture."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linter.runtime.fake_api import Roster
from tests.helpers import run_cli as cli

pytest.importorskip("requests", reason="the example integration needs requests (in the test extra)")

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "roster_sync"


def run_sync(root: Path, base: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLEVER_API_HOST=base, CLEVER_PAGE_SIZE="1")  # page size 1: paging is exercised
    return subprocess.run(
        [sys.executable, "run_sync.py", "district-token"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def v3_roster() -> dict:
    """What the sync must store on v3.1, computed from the fake API's dataset."""
    roster = Roster.default()
    teachers = roster.with_role("teacher")
    staff = roster.with_role("staff")
    people = [["teacher", u["id"], []] for u in teachers]
    people += [
        ["school_admin", u["id"], sorted({s for r in u["roles"].values() for s in r.get("schools", [])})] for u in staff
    ]
    classrooms, enrolments = {}, []
    for teacher in teachers:
        for section in roster.sections:
            if teacher["id"] in section["teachers"]:
                classrooms[section["id"]] = teacher["id"]
                enrolments += [[student, section["id"]] for student in section["students"]]
    return {"people": sorted(people), "classrooms": dict(sorted(classrooms.items())), "enrolments": sorted(enrolments)}


def finding_keys(findings) -> set:
    return {(f["path"], f["line"], f["code"]) for f in findings}


def test_roster_sync_runs_on_v3_after_fix(tmp_path, fake_api):
    work = tmp_path / "roster_sync"
    shutil.copytree(EXAMPLE, work, ignore=shutil.ignore_patterns("__pycache__"))

    # 1. Before: the v2.1 integration works against an API that still serves v2.1.
    base, app = fake_api(("v2.1", "v3.1"))
    before = run_sync(work, base)
    assert before.returncode == 0, before.stderr
    stored = json.loads(before.stdout)
    assert [p[1] for p in stored["people"]] == ["sa1", "t1", "t2"]  # v2 IDs: one record per role
    assert app.requests and all(path.startswith("/v2.1/") for _, path in app.requests)
    assert set(app.statuses) == {200}

    # 2. The same code against an API that serves v3.1 only fails, like the real one will.
    base, app = fake_api(("v3.1",))
    broken = run_sync(work, base)
    assert broken.returncode == 1
    assert "failed with 404" in broken.stderr and "Traceback" not in broken.stderr

    # 3. fix alone moves nothing: refresh_one() picks its role path from a dict at run time,
    # so the base stays on v2.1 and says which use holds it; every call that worked still works.
    held = cli(tmp_path, "fix", "--unsafe-fixes", "roster_sync")
    assert held.exit_code == 1 and held.output.splitlines()[-1].startswith("Fixed 0 findings;")
    assert "roster_sync/rostering/sync.py:34" in held.output
    base, app = fake_api(("v2.1", "v3.1"))
    again = run_sync(work, base)
    assert again.returncode == 0 and json.loads(again.stdout) == stored

    # 4. The person's step (committed under the example), then the checklist (the plan) and
    # fix with both tiers.
    patch = EXAMPLE / "migration" / "01-refresh-one.patch"
    applied = subprocess.run(["git", "apply", str(patch)], cwd=work, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    plan = json.loads(cli(tmp_path, "checklist", "roster_sync", "--format", "json").output)
    planned = [f for step in plan["steps"] for f in step["findings"]]
    # the person's /users path sits on the v2.1 base until fix moves the base (CLV312): the
    # base's fix resolves it
    resolved = [f for f in planned if f["code"] == "CLV312"]
    assert [(f["path"], f["line"]) for f in resolved] == [("roster_sync/rostering/sync.py", 34)]
    manual = [f for f in planned if not f["fixable"] and f not in resolved]
    assert {f["code"] for f in planned if f["fixable"]} == {"CLV301", "CLV302", "CLV310"}
    fixed = cli(tmp_path, "fix", "--unsafe-fixes", "roster_sync")
    assert fixed.exit_code == 1  # what only a person can do is left
    fixed_count = len(planned) - len(manual) - len(resolved)
    assert fixed.output.splitlines()[-1] == f"Fixed {fixed_count} findings; {len(manual)} left."

    # 5. After: every request is a v3.1 path that exists, and the roster is the v3.1 one.
    base, app = fake_api(("v3.1",))
    after = run_sync(work, base)
    assert after.returncode == 0, after.stderr
    assert app.requests and all(path.startswith("/v3.1/") for _, path in app.requests)
    assert set(app.statuses) == {200}
    assert json.loads(after.stdout) == v3_roster()
    people = json.loads(after.stdout)["people"]
    assert ["teacher", "u-gh", []] in people and ["school_admin", "u-gh", ["s1", "s2"]] in people  # one user, two roles

    # 6. What check still reports is the checklist's manual items. The stored IDs (CLV201) now
    # come from v3.1, while the IDs already in the database are v2 ones: they stay reported
    # where the data flow sees the v3 records (the teachers' loop) until the code maps them;
    # fix's own report lists all of them.
    remaining = json.loads(cli(tmp_path, "check", "roster_sync", "--format", "json").output)["findings"]
    id_storage = [f for f in manual if f["code"] == "CLV201"]
    assert id_storage
    assert finding_keys(remaining) <= finding_keys(manual)
    assert finding_keys(manual) - finding_keys(id_storage) <= finding_keys(remaining)
    assert ("roster_sync/rostering/sync.py", 23, "CLV201") in finding_keys(remaining)
    for f in id_storage:
        assert f"{f['path']}:{f['line']}:{f['column']}: CLV201" in fixed.output
    assert not any(f.get("fixable") for f in remaining)


def trace(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linter", "trace", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_the_examples_own_suite_under_trace_before_and_after_the_migration(tmp_path):
    """The example's own tests (examples/roster_sync/tests), run through `trace`: on the v2.1
    fake every endpoint `check` reports is requested, and each is found by check; after the
    person's step and `fix`, the same suite on the v3.1 fake makes v3.1 requests only: exit 0."""
    pytest.importorskip("flask", reason="the example's login module needs flask (in the test extra)")
    work = tmp_path / "roster_sync"
    shutil.copytree(EXAMPLE, work, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    suite = ("--", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")

    before = trace(work, "--fake-api", "v2.1", "--format", "json", "-o", "trace.json", *suite)
    assert before.returncode == 1, before.stdout + before.stderr  # the suite passed; the gate failed
    assert "8 passed" in before.stdout
    recorded = json.loads((work / "trace.json").read_text())
    traced = {r["v2"] for r in recorded["requests"] if r["v2"]}
    static = json.loads(cli(work, "check", "--format", "json", ".").output)["findings"]
    reported = {f["v2"] for f in static if (f.get("v2") or "").startswith("/v2.1/")}
    assert reported == {
        "/v2.1/me", "/v2.1/school_admins", "/v2.1/school_admins/{id}/schools", "/v2.1/sections/{id}/students",
        "/v2.1/students", "/v2.1/students/{id}", "/v2.1/students/{id}/contacts", "/v2.1/teachers",
        "/v2.1/teachers/{id}", "/v2.1/teachers/{id}/sections",
    }  # fmt: skip
    assert reported <= traced
    assert traced - reported == {"/v2.1/districts", "/v2.1/schools", "/v2.1/events"}  # on the v2.1 base (CLV310)
    assert all(r["static"] for r in recorded["requests"] if r["v2"])  # nothing only the run saw
    merged = json.loads(cli(work, "check", "--trace", "trace.json", "--format", "json", ".").output)["findings"]
    assert [f for f in merged if f["code"] == "CLV701"] == []

    patches = EXAMPLE / "migration"
    assert subprocess.run(["git", "apply", str(patches / "01-refresh-one.patch")], cwd=work).returncode == 0
    assert cli(work, "fix", "--unsafe-fixes", ".").exit_code == 1  # what only a person can do is left
    assert subprocess.run(["git", "apply", str(patches / "02-login-roles.patch")], cwd=work).returncode == 0
    after = trace(work, "--fake-api", "v3.1", "--format", "json", "-o", "trace.json", *suite)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "8 passed" in after.stdout
    requests = json.loads((work / "trace.json").read_text())["requests"]
    assert requests and all(r["version"] == "v3.1" and r["statuses"] == {"200": r["count"]} for r in requests)
