"""The `clever_api` fixture from a user's point of view: a tiny project of its own (its code,
its conftest, its roster file), run with pytest in a subprocess; the plugin comes with the
installed package (entry point pytest11), nothing is imported by hand."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("requests", reason="the user's project uses requests (in the test extra)")

PROJECT = {
    "school_app/__init__.py": "",
    "school_app/clever.py": """\
        import httpx
        import requests

        BASE = "https://api.clever.com/v3.1"


        def teacher_ids(token):
            auth = {"Authorization": "Bearer " + token}
            response = requests.get(BASE + "/users", params={"role": "teacher"}, headers=auth)
            response.raise_for_status()
            return [item["data"]["id"] for item in response.json()["data"]]


        def sections_of(token, user_id):
            response = httpx.get(f"{BASE}/users/{user_id}/sections", headers={"Authorization": "Bearer " + token})
            return response.status_code, [item["data"]["name"] for item in response.json().get("data", [])]


        def old_teachers(token):
            return requests.get("https://api.clever.com/v2.1/teachers", headers={"Authorization": "Bearer " + token})
        """,
    "tests/roster.yaml": """\
        schools: [{id: sch1, name: North High}]
        teachers:
          - {id: u-7, legacy_id: tch-7, name: {first: Bo, last: Chen}, school: sch1}
        students:
          - {id: s-1, name: {first: Ann, last: Lee}, school: sch1}
        sections:
          - {id: sec-9, school: sch1, name: Algebra, teachers: [u-7], students: [s-1]}
        tokens: {app-token: null}
        """,
    "tests/conftest.py": """\
        from pathlib import Path

        import pytest


        @pytest.fixture
        def clever(clever_api):
            return clever_api(version="v3.1", roster=Path(__file__).parent / "roster.yaml")
        """,
    "tests/test_clever.py": """\
        from school_app import clever as api


        def test_teachers_from_the_roster(clever):
            assert api.teacher_ids("app-token") == ["u-7"]
            assert [(r["method"], r["url"], r["status"]) for r in clever.requests] == [
                ("GET", "https://api.clever.com/v3.1/users?role=teacher", 200)
            ]


        def test_sections_through_httpx(clever):
            assert api.sections_of("app-token", "u-7") == (200, ["Algebra"])


        def test_a_v2_path_is_a_404_on_v3(clever):
            assert api.old_teachers("app-token").status_code == 404
            assert clever.requests[0]["site"]["line"] == 20  # the line of school_app/clever.py that asked


        def test_an_unknown_token_is_refused(clever):
            import pytest
            import requests

            with pytest.raises(requests.HTTPError):
                api.teacher_ids("stolen")


        def test_another_roster_mid_test(clever):
            clever.load({"teachers": [{"id": "u-1"}, {"id": "u-2"}]})
            assert api.teacher_ids("any-token") == ["u-1", "u-2"]


        def test_v2_on_request(clever_api):
            v2 = clever_api(version="v2.1")  # the default roster
            assert api.old_teachers("any").json()["data"][0]["data"]["id"] == "t1"
            assert v2.app.requests == [("GET", "/v2.1/teachers")]
        """,
}


def test_a_users_suite_with_the_clever_api_fixture(tmp_path):
    pytest.importorskip("httpx", reason="the user's project uses httpx (in the test extra)")
    for name, text in PROJECT.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "6 passed" in run.stdout


def test_the_fixture_leaves_nothing_patched_after_the_test(tmp_path):
    import requests

    from linter.runtime.pytest_plugin import CleverAPI

    original = requests.Session.send
    api = CleverAPI("v3.1", None, ())
    assert requests.Session.send is not original
    api.stop()
    assert requests.Session.send is original
