"""The checklist report: steps ticked only without findings, inventory, decisions."""

from __future__ import annotations

import json

import pytest

from linter.report import checklist
from tests.helpers import lint_tree


def _data(tmp_path, files):
    result = lint_tree(tmp_path, files, min_confidence="medium")
    return result, checklist.to_data(result)


def test_clean_code_ticks_every_step_but_testing(tmp_path):
    result, data = _data(tmp_path, {"app.py": 'URL = "https://api.clever.com/v3.1/users?role=teacher"\n'})
    assert [(s["step"], s["done"]) for s in data["steps"]] == [
        (1, True),
        (2, True),
        (3, True),
        (4, True),
        (5, True),
        (6, True),
        (7, False),
    ]
    assert data["decisions"] == []
    markdown = checklist.render_markdown(result)
    assert "- [x] **3. Update your User Endpoints**: nothing left" in markdown
    assert "- [ ] **7. Testing with sandbox data**: to do by hand after the steps above" in markdown
    assert "None raised by the findings." in markdown


def test_findings_go_under_their_step_and_raise_decisions(tmp_path):
    result, data = _data(
        tmp_path,
        {
            "app.py": """
                import requests
                BASE = "https://api.clever.com/v2.1"
                def sync(db):
                    for t in requests.get(BASE + "/teachers").json()["data"]:
                        db.save(clever_id=t["data"]["id"])
                    for t in requests.get(BASE + "/teachers?limit=5").json()["data"]:
                        pass
                """
        },
    )
    steps = {s["step"]: s for s in data["steps"]}
    assert not steps[2]["done"] and [f["code"] for f in steps[2]["findings"]] == ["CLV201"]
    assert sorted(f["code"] for f in steps[3]["findings"]) == ["CLV301", "CLV301", "CLV310"]
    assert steps[4]["done"] and steps[5]["done"] and steps[6]["done"]
    assert data["inventory"] == [
        {
            "v2": "/teachers",
            "v3": "/users?role=teacher",
            "changes": True,
            "guidance": None,
            "call_sites": 2,
            "fixable": 2,
        }
    ]
    decisions = {d["id"]: d for d in data["decisions"]}
    assert set(decisions) == {"account-model", "id-migration"}
    assert decisions["id-migration"]["findings"] == [{"path": str(tmp_path / "app.py"), "line": 6, "code": "CLV201"}]
    markdown = checklist.render_markdown(result)
    assert "| `/teachers` | 2 | `/users?role=teacher` | 2 |" in markdown
    assert f"- `{tmp_path}/app.py:6` CLV201 `teacher id` -> `v3 user id`: stores a v2 teacher ID" in markdown
    assert "roles.&lt;role&gt;.legacy_id" in markdown  # no raw HTML-like tags in a pull request


def test_unchanged_endpoints_are_in_the_inventory(tmp_path):
    _, data = _data(
        tmp_path, {"app.py": 'import requests\nrequests.get("https://api.clever.com/v2.1/sections/" + sid)\n'}
    )
    assert [(r["v2"], r["changes"], r["call_sites"]) for r in data["inventory"]] == [("/sections/{id}", False, 1)]


def test_json_is_serialisable_and_versioned(tmp_path):
    result, data = _data(tmp_path, {"app.py": 'X = "https://api.clever.com/v2.1/students"\n'})
    assert json.loads(checklist.render_json(result)) == data
    assert data["version"] == 1 and data["files_checked"] == 1
    assert data["steps"][6]["to_exercise"][0].startswith("Run the migrated sync against your sandbox district")


@pytest.mark.parametrize("example", ["roster_sync", "sdk_sync", "district_portal"])
def test_the_inventory_agrees_with_the_findings(example):
    """Each endpoint's fixable count is the number of its call sites that a fix rewrites (it
    was 0 everywhere while the same checklist said "`fix` can do it")."""
    from collections import Counter
    from pathlib import Path

    from linter.api import lint_paths

    root = Path(__file__).resolve().parent.parent / "examples" / example
    result = lint_paths([str(root)])
    fixed = Counter(
        "/" + f.v2.split("/", 2)[2] if f.v2.startswith("/v") else f.v2
        for f in result.visible
        if f.code in ("CLV301", "CLV302") and f.fixable
    )
    rows = checklist.inventory(result)
    assert {row["v2"]: row["fixable"] for row in rows if row["fixable"]} == dict(fixed)
    assert all(row["fixable"] <= row["call_sites"] for row in rows)
