"""Golden output of `clever-upgrade check` on the example integrations, through the real CLI.

Regenerate after a deliberate change with `python examples/regenerate.py` (which runs these
tests with CLEVER_UPGRADE_UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
UPDATE = os.environ.get("CLEVER_UPGRADE_UPDATE_GOLDEN") == "1"
EXAMPLE_NAMES = ["roster_sync", "sdk_sync", "district_portal"]


def _run(command: str, example: str, *options: str):
    old = os.getcwd()
    os.chdir(EXAMPLES)
    try:
        return CliRunner().invoke(main, [command, example, *options], catch_exceptions=False)
    finally:
        os.chdir(old)


def _check(example: str, *options: str):
    return _run("check", example, *options)


def _compare(path: Path, actual: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{path} is missing; regenerate the golden files (see module docstring)"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_check_text_golden(example):
    result = _check(example)
    assert result.exit_code == 1
    _compare(EXAMPLES / "expected" / example / "check.txt", result.output)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_check_json_golden(example):
    result = _check(example, "--format", "json")
    assert result.exit_code == 1
    json.loads(result.output)
    _compare(EXAMPLES / "expected" / example / "check.json", result.output)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
@pytest.mark.parametrize("output_format, name", [("sarif", "check.sarif"), ("github", "check.github.txt")])
def test_check_other_formats_golden(example, output_format, name):
    result = _check(example, "--format", output_format)
    assert result.exit_code == 1
    _compare(EXAMPLES / "expected" / example / name, result.output)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_checklist_markdown_golden(example):
    result = _run("checklist", example)
    assert result.exit_code == 0
    _compare(EXAMPLES / "expected" / example / "checklist.md", result.output)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_checklist_json_golden(example):
    result = _run("checklist", example, "--format", "json")
    assert result.exit_code == 0
    json.loads(result.output)
    _compare(EXAMPLES / "expected" / example / "checklist.json", result.output)


def test_roster_sync_checklist_ticks_only_the_steps_without_findings():
    data = json.loads(_run("checklist", "roster_sync", "--format", "json").output)
    done = {step["step"]: step["done"] for step in data["steps"]}
    assert done == {1: True, 2: False, 3: False, 4: False, 5: False, 6: False, 7: False}  # 7 is never ticked
    assert [d["id"] for d in data["decisions"]] == ["account-model", "permissions", "id-migration"]
    inventory = {row["v2"]: row["call_sites"] for row in data["inventory"]}
    assert inventory["/teachers"] == 1 and inventory["/students"] == 1
    assert inventory["/students/{id}"] == 2  # the client's, and ROLE_PATHS["student"] picked by refresh_one
    assert inventory["/events"] == 1 and inventory["/me"] == 1


def test_roster_sync_reports_every_client_call_and_no_app_route():
    data = json.loads(_check("roster_sync", "--format", "json").output)
    by_file = {}
    for finding in data["findings"]:
        by_file.setdefault(finding["path"], []).append((finding["code"], finding.get("v2")))
    assert "roster_sync/rostering/web.py" not in by_file  # the app's own Flask routes
    assert sorted(by_file["roster_sync/rostering/client.py"]) == sorted(
        [
            ("CLV301", "/v2.1/students"),
            ("CLV301", "/v2.1/teachers"),
            ("CLV301", "/v2.1/school_admins"),
            ("CLV302", "/v2.1/teachers/{id}"),
            ("CLV302", "/v2.1/students/{id}/contacts"),
            ("CLV302", "/v2.1/school_admins/{id}/schools"),
            ("CLV302", "/v2.1/students/{id}"),
            ("CLV302", "/v2.1/teachers/{id}/sections"),
            ("CLV301", "/v2.1/sections/{id}/students"),
        ]
    )
    assert sorted(by_file["roster_sync/rostering/settings.py"]) == [
        ("CLV310", "/v2.1"),
        ("CLV310", "/v2.1/me"),
    ]
    assert by_file["roster_sync/deploy/production.ini"] == [("CLV311", "/v2.1")]
    codes = {path: sorted({code for code, _ in found}) for path, found in by_file.items()}
    assert codes["roster_sync/rostering/events.py"] == ["CLV401", "CLV402"]
    assert codes["roster_sync/rostering/login.py"] == ["CLV502", "CLV503", "CLV601"]
    # the role paths refresh_one picks from ROLE_PATHS, each where it is written, and the one
    # /users/{id} call they both become
    assert codes["roster_sync/rostering/sync.py"] == ["CLV201", "CLV302", "CLV602"]
    assert "roster_sync/run_sync.py" not in by_file


def _tree(root: Path) -> dict:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_fix_golden_tree(example, tmp_path):
    """`clever-upgrade fix` through the real CLI on a copy; the result is the expected tree."""
    import shutil

    work = tmp_path / example
    shutil.copytree(EXAMPLES / example, work)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["fix", example], catch_exceptions=False)
        again = CliRunner().invoke(main, ["fix", example], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 1  # what only a person can do is left
    assert again.output.splitlines()[-1].startswith("Fixed 0 findings")
    # no official v3 SDK; a base held by /sections/{id}/teacher; a base held by a role path
    # computed at run time (roster_sync: its person's step is in examples/roster_sync/migration/)
    assert result.output.splitlines()[-1].startswith("Fixed 0 findings")
    expected_root = EXAMPLES / "expected" / example / "fixed"
    actual = _tree(work)
    if UPDATE:
        shutil.rmtree(expected_root, ignore_errors=True)
        shutil.copytree(work, expected_root, ignore=shutil.ignore_patterns("__pycache__"))
        (EXAMPLES / "expected" / example / "fix.txt").write_text(result.output, encoding="utf-8")
    assert actual == _tree(expected_root)
    assert result.output == (EXAMPLES / "expected" / example / "fix.txt").read_text(encoding="utf-8")
