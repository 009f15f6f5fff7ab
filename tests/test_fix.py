"""`clever-upgrade fix`: v2 snippet in, the exact rewritten text out; then nothing fixable is
left, and a second run changes nothing."""

from __future__ import annotations

import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter import catalog
from linter.api import Options, fix_paths, lint_paths
from linter.cli import main
from linter.fix.rewrite import RewriteError, apply_edits
from linter.model import Edit, Span
from tests.helpers import run_cli, write_tree
from tests.test_catalog import EXPECTED

MECHANICAL = sorted(p for p, (code, v3) in EXPECTED.items() if code in ("CLV301", "CLV302"))


def fixed(tmp_path: Path, code: str, name: str = "app.py", unsafe: bool = False, **files) -> str:
    (tmp_path / name).write_text(textwrap.dedent(code), encoding="utf-8")
    for other, text in files.items():
        (tmp_path / other.replace("__", "/")).write_text(textwrap.dedent(text), encoding="utf-8")
    fix_paths([str(tmp_path)], Options(), unsafe=unsafe)
    return (tmp_path / name).read_text(encoding="utf-8")


def fixable_left(tmp_path: Path):
    return [f for f in lint_paths([str(tmp_path)]).visible if f.fixable]


@pytest.mark.parametrize("path", MECHANICAL)
def test_every_mechanical_catalog_row(tmp_path, path):
    v3 = EXPECTED[path][1]
    source = (
        f'import requests\nBASE = "https://api.clever.com/v2.1"\n'
        f'requests.get(BASE + "{path.replace("{id}", "%s")}" % x)\n'
    )
    (tmp_path / "app.py").write_text(source)
    before = lint_paths([str(tmp_path)]).visible
    assert {f.code for f in before if f.fixable} >= {EXPECTED[path][0], "CLV310"}
    if {row.v2: row for row in catalog.endpoints()}[path].id_changes:
        # the ID in the path may still be a v2 ID: an unsafe fix, and a safe run holds the pin with it
        fix_paths([str(tmp_path)])
        assert (tmp_path / "app.py").read_text() == source
        fix_paths([str(tmp_path)], unsafe=True)
    else:
        fix_paths([str(tmp_path)])
    expected = source.replace("v2.1", "v3.1").replace(path.replace("{id}", "%s"), v3.replace("{id}", "%s"))
    assert (tmp_path / "app.py").read_text() == expected
    assert fixable_left(tmp_path) == []
    fix_paths([str(tmp_path)], unsafe=True)
    assert (tmp_path / "app.py").read_text() == expected


@pytest.mark.parametrize(
    "code, expected",
    [
        pytest.param(
            'requests.get(f"{BASE}/teachers/{tid}/students")',
            'requests.get(f"{BASE}/users/{tid}/mystudents")',
            id="f-string",
        ),
        pytest.param(
            'requests.get(BASE + "/teachers/" + tid + "/sections")',
            'requests.get(BASE + "/users/" + tid + "/sections")',
            id="plus chain",
        ),
        pytest.param(
            'requests.get("%s/students/%s/teachers" % (BASE, sid))',
            'requests.get("%s/users/%s/myteachers" % (BASE, sid))',
            id="percent",
        ),
        pytest.param(
            'requests.get("{0}/contacts/{1}".format(BASE, cid))',
            'requests.get("{0}/users/{1}".format(BASE, cid))',
            id="format",
        ),
        pytest.param(
            'requests.get(urljoin(BASE + "/", "school_admins"))',
            'requests.get(urljoin(BASE + "/", "users?role=staff"))',
            id="urljoin",
        ),
        pytest.param(
            'requests.get("/".join([BASE, "sections", sid, "teachers"]))',
            'requests.get("/".join([BASE, "sections", sid, "users?role=teacher"]))',
            id="slash join",
        ),
        pytest.param(
            "requests.get(BASE + '/district_admins')",
            "requests.get(BASE + '/users?role=district_admin')",
            id="single quotes kept",
        ),
        pytest.param(
            'requests.get(BASE + r"/students/" + sid)', 'requests.get(BASE + r"/users/" + sid)', id="raw string kept"
        ),
        pytest.param(
            'requests.get(BASE + "/students?limit=5&starting_after=" + cursor)',
            'requests.get(BASE + "/users?role=student&limit=5&starting_after=" + cursor)',
            id="query string merged",
        ),
        pytest.param(
            'requests.get(BASE + "/teachers/")', 'requests.get(BASE + "/users?role=teacher")', id="trailing slash"
        ),
        pytest.param(
            'requests.get(BASE + "/students", params={"limit": 5})',
            'requests.get(BASE + "/users", params={"role": "student", "limit": 5})',
            id="params dict",
        ),
        pytest.param(
            'requests.get(BASE + "/teachers", params={})',
            'requests.get(BASE + "/users", params={"role": "teacher"})',
            id="empty params dict",
        ),
    ],
)
def test_construction_forms(tmp_path, code, expected):
    header = 'import requests\nfrom urllib.parse import urljoin\nBASE = "https://api.clever.com/v3.1"\n'
    assert fixed(tmp_path, header + code + "\n", unsafe=True) == header + expected + "\n"  # teacher IDs: unsafe
    assert fixable_left(tmp_path) == []


def test_constant_in_another_module_and_class_attribute(tmp_path):
    (tmp_path / "paths.py").write_text('TEACHERS = "/teachers/{}/sections"\n')
    code = (
        "import requests\nfrom paths import TEACHERS\n"
        'class Client:\n    BASE = "https://api.clever.com/v2.1"\n'
        "    def sections(self, tid):\n        return requests.get(self.BASE + TEACHERS.format(tid))\n"
    )
    result = fixed(tmp_path, code, unsafe=True)  # teacher IDs: an unsafe fix
    assert result == code.replace("v2.1", "v3.1")
    assert (tmp_path / "paths.py").read_text() == 'TEACHERS = "/users/{}/sections"\n'


def test_refused_rewrite_says_why(tmp_path):
    code = 'import requests\nBASE = "https://api.clever.com/v3.1"\nrequests.get(BASE + "/students" + query)\n'
    assert fixed(tmp_path, code) == code
    finding = next(f for f in lint_paths([str(tmp_path)]).visible if f.code == "CLV301")
    assert finding.fix is None
    assert (
        finding.note
        == "not rewritten: the path is completed at run time, so role=student has no safe place; add it by hand"
    )


def test_params_that_are_not_a_literal_dict_are_refused(tmp_path):
    code = 'import requests\nBASE = "https://api.clever.com/v3.1"\nrequests.get(BASE + "/students/", params=PARAMS)\n'
    assert fixed(tmp_path, code) == code.replace("/students/", "/users?role=student")


def test_half_migration_guard_keeps_the_pin_while_a_path_needs_a_person(tmp_path):
    code = (
        'import requests\nBASE = "https://api.clever.com/v2.1"\n'
        'requests.get(BASE + "/teachers")\n'
        'requests.get(BASE + "/sections/%s/teacher" % sid)\n'
    )
    result = fixed(tmp_path, code)
    assert result == code  # the pin stays on v2.1, and so does /teachers: /v2.1/users would be a 404
    found = {f.code: f for f in lint_paths([str(tmp_path)]).visible}
    assert found["CLV310"].fix is None and found["CLV301"].fix is None
    assert (
        found["CLV310"].note
        == f"not rewritten: v2 role paths on this base still need a manual change ({tmp_path}/app.py:4)"
    )
    assert found["CLV301"].note == (
        f"not rewritten: its base URL stays on v2 ({tmp_path}/app.py:2, see there why); "
        "the v3.1 path on a v2 base would not exist"
    )


def test_role_path_waits_for_a_base_held_by_the_sdk_configuration(tmp_path):
    code = (
        'import clever, requests\nHOST = "https://api.clever.com/v2.0"\nconf = clever.Configuration()\n'
        'conf.host = HOST\nrequests.get(HOST + "/teachers")\n'
    )
    assert fixed(tmp_path, code) == code


def test_half_migration_guard_moves_the_pin_with_its_paths(tmp_path):
    code = 'import requests\nBASE = "https://api.clever.com/v2.1"\nrequests.get(BASE + "/teachers")\n'
    assert fixed(tmp_path, code) == code.replace("v2.1", "v3.1").replace('"/teachers"', '"/users?role=teacher"')


def test_pin_of_the_sdk_configuration_is_not_moved(tmp_path):
    code = 'import clever\nconf = clever.Configuration()\nconf.host = "https://api.clever.com/v2.0"\n'
    assert fixed(tmp_path, code) == code


def test_me_pin_waits_for_the_login_code(tmp_path):
    code = (
        'import requests\nme = requests.get("https://api.clever.com/me").json()\nif me["type"] == "teacher":\n'
        "    pass\n"
    )
    assert fixed(tmp_path, code) == code
    clean = 'import requests\nme = requests.get("https://api.clever.com/me").json()\nuid = me["data"]["id"]\n'
    assert fixed(tmp_path, clean) == clean.replace("/me", "/v3.1/me")


def test_literal_feeding_two_different_endpoints_is_not_rewritten(tmp_path):
    code = (
        'import requests\nBASE = "https://api.clever.com/v3.1"\nTEACHERS = "/teachers"\n'
        "requests.get(BASE + TEACHERS)\nrequests.get(BASE + TEACHERS + '/' + tid)\n"
    )
    assert fixed(tmp_path, code) == code
    notes = {f.note for f in lint_paths([str(tmp_path)]).visible if f.code in ("CLV301", "CLV302")}
    assert notes == {
        "not rewritten: this literal feeds several endpoints that need different rewrites; split it by hand"
    }


def test_record_type_waits_for_event_dispatch_and_is_unsafe(tmp_path):
    code = (
        'import requests\nEVENTS = "https://api.clever.com/v3.1/events"\n'
        'requests.get(EVENTS, params={"record_type": "students"})\n'
    )
    assert fixed(tmp_path, code) == code  # unsafe: not applied by default
    assert fixed(tmp_path, code, unsafe=True) == code.replace('"students"', '"users"')
    table = code + 'HANDLERS = {"students.created": on_student}\n'
    assert fixed(tmp_path, table, unsafe=True) == table  # a dispatch table fix cannot rewrite
    notes = {f.code: f.note for f in lint_paths([str(tmp_path)]).visible}
    assert notes["CLV401"].startswith(
        "not rewritten: the application dispatches on v2 event types that fix cannot rewrite"
    )


def test_event_dispatch_and_its_feed_move_together_as_unsafe_fixes(tmp_path):
    code = (
        'import requests\nEVENTS = "https://api.clever.com/v3.1/events"\n'
        'for event in requests.get(EVENTS, params={"record_type": ["students", "sections"]}).json()["data"]:\n'
        '    if event["data"]["type"] == "students.created":\n'
        "        create(event)\n"
        "    elif event['data']['type'] != 'teachers.deleted':\n"
        "        keep(event)\n"
    )
    assert fixed(tmp_path, code) == code  # safe tier: nothing
    assert fixed(tmp_path, code, unsafe=True) == code.replace('"students", "sections"', '"users", "sections"').replace(
        'event["data"]["type"] == "students.created"',
        '(event["data"]["type"] == "users.created" and "student" in event["data"]["data"]["object"]["roles"])',
    ).replace(
        "event['data']['type'] != 'teachers.deleted'",
        "(event['data']['type'] != 'users.deleted' or 'teacher' not in event['data']['data']['object']['roles'])",
    )
    assert fixable_left(tmp_path) == []


def test_byte_exact_outside_the_edit_crlf_bom(tmp_path):
    source = (
        b"\xef\xbb\xbfimport requests\r\n# caf\xc3\xa9\r\n"
        b'URL = "https://api.clever.com/v3.1/teachers"  # x\r\nif URL:\r\n\tprint(1)\r\n'
    )
    (tmp_path / "app.py").write_bytes(source)
    fix_paths([str(tmp_path)])
    assert (tmp_path / "app.py").read_bytes() == source.replace(b"/teachers", b"/users?role=teacher")


def test_byte_exact_latin1_with_coding_cookie(tmp_path):
    source = (
        '# -*- coding: latin-1 -*-\nNAME = "Ã©lÃ¨ve"\nURL = "https://api.clever.com/v3.1/students/" + sid\n'.encode(
            "latin-1"
        )
    )
    (tmp_path / "app.py").write_bytes(source)
    fix_paths([str(tmp_path)])
    assert (tmp_path / "app.py").read_bytes() == source.replace(b"/students/", b"/users/")


def test_rewrite_that_would_not_parse_is_refused():
    source = b'URL = "https://api.clever.com/v3.1/teachers"\n'
    with pytest.raises(RewriteError, match="would not parse"):
        apply_edits(source, [Edit("app.py", Span(1, 8, 1, 8), '"')])
    # what only LibCST's node validation refuses (Python refuses it too): a str and a bytes
    # literal joined
    joined = b'URL = "https://api.clever.com" "/v2.1/teachers"\n'
    with pytest.raises(RewriteError, match="would not parse"):
        apply_edits(joined, [Edit("app.py", Span(1, 32, 1, 32), "b")])


def test_file_whose_rewrite_would_not_parse_is_left_alone(tmp_path, monkeypatch):
    from linter.fix import edits as fixes

    original = fixes.endpoint_edits

    def broken(analysis, call, module):
        edits = original(analysis, call, module)
        return [fixes.LiteralEdit(e.source, e.start, e.end, e.replacement + '"') for e in edits]

    monkeypatch.setattr("linter.fix.plan.endpoint_edits", broken)
    code = 'URL = "https://api.clever.com/v3.1/teachers/" + tid\n'
    (tmp_path / "app.py").write_text(code)
    report = fix_paths([str(tmp_path)], unsafe=True)  # a teacher ID in the path: unsafe
    assert (tmp_path / "app.py").read_text() == code
    assert report.failed == {f"{tmp_path}/app.py": "the rewritten file would not parse; it was left as it was"}


def test_diff_writes_nothing_and_exits_one(tmp_path, monkeypatch):
    code = 'URL = "https://api.clever.com/v3.1/teachers/" + tid\n'
    (tmp_path / "app.py").write_text(code)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["fix", "--diff", "--unsafe-fixes", "app.py"])
    assert result.exit_code == 1
    assert (tmp_path / "app.py").read_text() == code
    assert result.output == (
        "--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n"
        '-URL = "https://api.clever.com/v3.1/teachers/" + tid\n'
        '+URL = "https://api.clever.com/v3.1/users/" + tid\n'
        "Would fix 1 finding; 0 left.\n"
    )


def test_fix_cli_reports_and_exit_status(tmp_path, monkeypatch):
    (tmp_path / "app.py").write_text(
        (
            'import requests\nBASE = "https://api.clever.com/v3.1"\nrequests.get(BASE + "/teachers")\n'
            'requests.get(BASE + "/sections/%s/teacher" % s)\n'
        )
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["fix", "."])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "app.py: fixed 1 (CLV301)"
    assert lines[2:4] == ["Left for a person, by checklist step:", "Step 3. Update your User Endpoints"]
    assert lines[4].startswith("  app.py:4:35: CLV303 v2 endpoint /v3.1/sections/{id}/teacher")
    assert lines[-1] == "Fixed 1 finding; 1 left."
    again = CliRunner().invoke(main, ["fix", "."])
    assert again.output.splitlines()[-1] == "Fixed 0 findings; 1 left."


def test_select_and_ignore(tmp_path):
    code = 'import requests\nBASE = "https://api.clever.com/v2.1"\nrequests.get(BASE + "/teachers")\n'
    (tmp_path / "app.py").write_text(code)
    fix_paths([str(tmp_path)], select=("CLV31",))
    assert (tmp_path / "app.py").read_text() == code  # the pin waits for its path, which is not selected
    fix_paths([str(tmp_path)], ignore=("CLV310",))
    assert (tmp_path / "app.py").read_text() == code  # and the path waits for its pin
    fix_paths([str(tmp_path)], select=("CLV301", "CLV310"))
    assert (tmp_path / "app.py").read_text() == code.replace('"/teachers"', '"/users?role=teacher"').replace(
        "v2.1", "v3.1"
    )


def test_read_only_file_is_reported_not_written(tmp_path):
    code = 'URL = "https://api.clever.com/v3.1/teachers/" + tid\n'
    target = tmp_path / "app.py"
    target.write_text(code)
    target.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        report = fix_paths([str(tmp_path)], unsafe=True)
        assert report.failed == {f"{tmp_path}/app.py": "it is read-only"}
        assert target.read_text() == code
    finally:
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_changed_between_scan_and_write(tmp_path):
    from linter.source.transaction import TransactionError, commit

    target = tmp_path / "app.py"
    target.write_bytes(b"x = 2\n")
    with pytest.raises(TransactionError, match="changed since it was checked"):
        commit({target: (b"x = 1\n", b"x = 3\n")}, tmp_path / "journal")
    assert target.read_bytes() == b"x = 2\n"


def test_mode_is_kept(tmp_path):
    target = tmp_path / "app.py"
    target.write_text('URL = "https://api.clever.com/v3.1/teachers/" + tid\n')
    target.chmod(0o754)
    fix_paths([str(tmp_path)], unsafe=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o754
    assert "/users/" in target.read_text()


def test_codemod_runs_under_libcst_tool(tmp_path):
    (tmp_path / "app.py").write_text(
        'import requests\nBASE = "https://api.clever.com/v2.1"\nrequests.get(BASE + "/teachers")\n'
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "libcst.tool",
            "codemod",
            "-x",
            "codemods.clever_v3.MigrateToV3",
            "--no-format",
            str(tmp_path / "app.py"),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert completed.returncode == 0, completed.stderr
    assert (
        (tmp_path / "app.py").read_text()
        == 'import requests\nBASE = "https://api.clever.com/v3.1"\nrequests.get(BASE + "/users?role=teacher")\n'
    )


def test_rewrite_that_changes_code_outside_the_edit_is_refused():
    source = b'x = "a" ; y = 1\n'
    with pytest.raises(RewriteError, match="outside the edited literals"):
        apply_edits(source, [Edit("app.py", Span(1, 7, 1, 8), '"#')])  # the rest of the line becomes a comment


def test_rewrite_keeps_everything_else():
    source = b'x = "https://api.clever.com/v2.1/teachers"  # keep me\n'
    new, applied = apply_edits(source, [Edit("app.py", Span(1, 29, 1, 33), "v3.1")])
    assert (new, applied) == (b'x = "https://api.clever.com/v3.1/teachers"  # keep me\n', 1)


def test_events_of_the_sdk_are_not_rewritten_even_unsafely(tmp_path):
    code = (
        "import clever\n"
        "events = clever.EventsApi(clever.ApiClient(clever.Configuration()))\n"
        'page = events.get_events(record_type=["students"])\n'
        "for response in page.data:\n"
        '    if response.data.type == "students.created":\n'
        "        pass\n"
    )
    assert fixed(tmp_path, code, unsafe=True) == code  # the SDK's events are v2.0 events
    notes = {f.code: f.note for f in lint_paths([str(tmp_path)]).visible}
    assert (
        notes["CLV401"]
        == notes["CLV402"]
        == (
            "not rewritten: this module uses the clever-python SDK, whose events are v2.0 events; replace the "
            "client first"
        )
    )


def test_summary_tells_unsafe_fixes_apart(tmp_path):
    from click.testing import CliRunner

    from linter.cli import main

    code = (
        'import requests\nURL = "https://api.clever.com/v3.1/events"\n'
        'def poll():\n    for e in requests.get(URL, params={"record_type": "students"}).json()["data"]:\n'
        '        if e["data"]["type"] == "students.created":\n            pass\n'
    )
    (tmp_path / "app.py").write_text(code)
    (tmp_path / "b.py").write_text('import requests\nrequests.get("https://api.clever.com/v2.1/teachers")\n')
    output = CliRunner().invoke(main, ["check", str(tmp_path)]).output
    assert output.splitlines()[-1] == (
        "Found 4 findings in 2 files (2 checked); 2 fixable with `clever-upgrade fix` (2 more with `--unsafe-fixes`)."
    )


@pytest.mark.parametrize(
    "config, expected",
    [
        pytest.param("", 'ME = "https://api.clever.com/v3.1/me"\n', id="no configuration"),
        pytest.param(
            '[tool.clever-upgrade]\nignore = ["CLV501"]\n', 'ME = "https://api.clever.com/me"\n', id="ignored"
        ),
    ],
)
def test_codemod_honours_the_projects_configuration(tmp_path, config, expected):
    import libcst as cst
    from libcst.codemod import CodemodContext

    from codemods.clever_v3 import MigrateToV3

    (tmp_path / "pyproject.toml").write_text(config or "[project]\nname = 'x'\n")
    target = tmp_path / "app.py"
    target.write_text('ME = "https://api.clever.com/me"\n')
    command = MigrateToV3(CodemodContext(filename=str(target)))
    assert command.transform_module(cst.parse_module(target.read_text())).code == expected


def test_fix_groups_tie_a_pin_to_the_paths_on_its_base():
    from linter.model import Confidence, Finding, Fix, Severity, fix_groups

    def finding(path, line, code, requires=()):
        edit = Edit(path, Span(line, 1, line, 2), "x")
        return Finding(
            path,
            Span(line, 1, line, 2),
            code,
            3,
            Severity.ERROR,
            Confidence.HIGH,
            "m",
            fix=Fix((edit,), True, requires),
        )

    pin = finding("settings.py", 1, "CLV310", requires=(("client.py", 3, 1, "CLV301"),))
    path = finding("client.py", 3, "CLV301", requires=(("settings.py", 1, 1, "CLV310"),))
    alone = finding("other.py", 2, "CLV501")
    groups = fix_groups([alone, pin, path])
    assert [[f.key for f in g.findings] for g in groups] == [
        [("client.py", 3, 1, "CLV301"), ("settings.py", 1, 1, "CLV310")],
        [("other.py", 2, 1, "CLV501")],
    ]
    assert groups[0].paths == ["client.py", "settings.py"]


def test_a_group_whose_file_cannot_be_rewritten_is_held_whole(tmp_path, monkeypatch):
    """The pin lives in settings.py, the role path in client.py: if client.py cannot be
    rewritten, settings.py must not move to v3.1 either (its paths would be v2 on v3.1)."""
    from linter.fix import apply

    settings = 'BASE = "https://api.clever.com/v2.1"\n'
    client = (
        'import requests\nfrom settings import BASE\nrequests.get(BASE + "/teachers")\n'
        'ME = "https://api.clever.com/me"\n'
    )
    (tmp_path / "settings.py").write_text(settings)
    (tmp_path / "client.py").write_text(client)
    real = apply.apply_edits

    def refuse_the_path(source, edits, module=None):
        if any(e.replacement == "users?role=teacher" or "users" in e.replacement for e in edits):
            raise RewriteError("refused for the test")
        return real(source, edits, module)

    monkeypatch.setattr(apply, "apply_edits", refuse_the_path)
    report = fix_paths([str(tmp_path)])
    assert (tmp_path / "settings.py").read_text() == settings
    assert report.failed == {f"{tmp_path}/client.py": "refused for the test"}


def test_a_noqa_on_one_path_holds_its_pin_group_and_every_held_finding_says_why(tmp_path):
    """One `# noqa: CLV301` once blocked every fix of the project silently: the suppressed path
    still holds the pin (moving the base would break it), and the report now says so."""
    (tmp_path / "client.py").write_text(
        "import requests\n"
        'BASE = "https://api.clever.com/v2.1"\n'
        'requests.get(BASE + "/teachers")\n'
        'requests.get(BASE + "/students")  # noqa: CLV301\n'
    )
    result = run_cli(tmp_path, "fix", "client.py")
    assert result.exit_code == 1
    assert (tmp_path / "client.py").read_text().count("/v2.1") == 1  # nothing moved
    held = "which a noqa comment suppresses (a suppressed use still holds its group)"
    assert "client.py:2:32: CLV310 Clever API v2.1 URL: move to v3.1 together with every role endpoint on it " in (
        result.output
    )
    lines = [line for line in result.output.splitlines() if "client.py:" in line]
    assert len(lines) == 2 and all("[not rewritten: it moves only together with client.py:" in line for line in lines)
    assert all(held in line or "(CLV310)" in line for line in lines)


def test_an_unsafe_id_rewrite_leaves_the_id_finding(tmp_path):
    """/v2.1/teachers/{teacher_id} moved to /v3.1/users/{teacher_id} by --unsafe-fixes: the URL is
    v3, the ID may still be a v2 teacher ID, and check after fix says so (issue 14, point 6)."""
    code = (
        'import requests\nBASE = "https://api.clever.com/v2.1"\n'
        'def sections(teacher_id):\n    return requests.get(f"{BASE}/teachers/{teacher_id}/sections")\n'
    )
    (tmp_path / "app.py").write_text(code)
    report = fix_paths([str(tmp_path)], unsafe=True)
    assert (tmp_path / "app.py").read_text() == code.replace("v2.1", "v3.1").replace("/teachers/", "/users/")
    assert [(f.code, f.span.line, f.v2) for f in report.left] == [("CLV202", 4, "teacher id")]
    assert [(f.code, f.span.line) for f in lint_paths([str(tmp_path)]).visible] == [("CLV202", 4)]


def test_a_role_path_whose_version_is_read_at_run_time_is_not_rewritten(tmp_path):
    """The helper joins `{base}/{version}/{endpoint}` with the version from a config dict: the
    path is reported, but rewritten alone it could land on a v2 base (issue 14's rule: a path
    moves only when its base is v3 or moves in the same run)."""
    code = (
        "import requests\n"
        "class Client:\n"
        "    def __init__(self, config):\n"
        '        self.base = config["base_url"]\n'
        '        self.version = config["version"]\n'
        "    def _get(self, endpoint):\n"
        '        return requests.get(f"{self.base}/{self.version}/{endpoint}")\n'
        "    def student(self, sid):\n"
        '        return self._get(f"students/{sid}")\n'
        'URL = "https://api.clever.com"\n'
    )
    (tmp_path / "app.py").write_text(code)
    report = fix_paths([str(tmp_path)], unsafe=True)
    assert (tmp_path / "app.py").read_text() == code
    assert [f.code for f in report.left] == ["CLV302"]


def test_a_yarl_segment_is_not_given_a_query(tmp_path):
    """`URL(base) / "users?role=teacher"` would percent-encode the `?` into the path."""
    code = (
        "from yarl import URL\n"
        'BASE = "https://api.clever.com/v2.1"\n'
        "def teachers(session):\n"
        '    return session.get(str(URL(BASE) / "teachers"))\n'
        "def schools(session):\n"
        '    return session.get(str(URL(BASE) / "schools"))\n'
    )
    (tmp_path / "app.py").write_text(code)
    report = fix_paths([str(tmp_path)], unsafe=True)
    assert (tmp_path / "app.py").read_text() == code
    assert [(f.code, f.span.line) for f in report.left] == [("CLV310", 2), ("CLV301", 4)]
    assert "with_query" in report.left[1].note


def test_rewrites_prepared_in_worker_processes_are_the_ones_prepared_here(tmp_path, monkeypatch):
    """With two jobs and eight files or more, each file's rewrite is prepared in a forked worker:
    the same diffs and the same files written as in one process."""
    from linter.fix import apply

    pooled_runs = []
    in_pool = apply._in_pool

    def recording(items, jobs, tree_of):
        outcomes = in_pool(items, jobs, tree_of)
        pooled_runs.append(outcomes is not None)
        return outcomes

    monkeypatch.setattr(apply, "_in_pool", recording)
    copies = {}
    for name in ("serial", "pooled"):
        root = tmp_path / name
        for number in range(10):
            module = root / "one" / f"m{number}.py"
            module.parent.mkdir(parents=True, exist_ok=True)
            module.write_text(
                f'import requests\nURL{number} = "https://api.clever.com/v2.1/teachers"\nrequests.get(URL{number})\n',
                encoding="utf-8",
            )
        copies[name] = root
    serial = fix_paths([str(copies["serial"])], Options(cache=False, jobs=1), diff=True)
    assert pooled_runs == []
    pooled = fix_paths([str(copies["pooled"])], Options(cache=False, jobs=2), diff=True)
    assert pooled_runs == [True]
    assert len(serial.diffs) == 10 and all("/v3.1/users?role=teacher" in d for d in serial.diffs)
    assert [d.replace("pooled", "serial") for d in pooled.diffs] == serial.diffs
    written = fix_paths([str(copies["pooled"])], Options(cache=False, jobs=2))
    assert len(written.written) == 10
    assert "/v3.1/users?role=teacher" in (copies["pooled"] / "one" / "m5.py").read_text(encoding="utf-8")


CLIENT = 'import requests\nBASE = "https://api.clever.com/v2.1"\nrequests.get(BASE + "/teachers")\n'


def test_fix_parses_again_only_the_files_it_changed(tmp_path, monkeypatch):
    """fix checks the code again after its rewrites (and after each pass): the modules of the
    files it did not change are reused, not parsed again. (That the report is what a fresh
    check of the fixed code says: tests/conftest.py compares every prefiltered run of the suite,
    fix's included, with a run that parses everything anew.)"""
    import libcst

    write_tree(
        tmp_path,
        {
            "client.py": CLIENT,
            "helpers.py": "from client import BASE\n\n\ndef url(path):\n    return BASE + path\n",
            "plain.py": "import client\n\n\ndef total(items):\n    return sum(items)\n",
        },
    )
    parses = []
    parse = libcst.parse_module

    def counting(source, *args, **kwargs):
        parses.append(bytes(source, "utf-8") if isinstance(source, str) else source)
        return parse(source, *args, **kwargs)

    monkeypatch.setattr(libcst, "parse_module", counting)
    # without the prefilter, which parses all three anyway, tests/conftest.py runs no twin check
    report = fix_paths([str(tmp_path)], Options(cache=False, jobs=1, prefilter=False), diff=True)
    assert [Path(p).name for p in report.written] == ["client.py"]
    fixed = report.written[next(iter(report.written))]
    # the first check parses the three files; the rewrite starts from the check's tree of
    # client.py and parses its new text; the check of the fixed code parses the new text only
    assert len(parses) == 3 + 1 + 1
    assert parses.count(fixed) == 2
    assert report.after is not None and not [f for f in report.after.findings if f.code == "CLV301"]


def test_a_rewrite_starts_from_the_checked_tree_only_of_the_same_bytes(tmp_path):
    from linter.analysis.run import Earlier
    from linter.api import lint_paths

    write_tree(tmp_path, {"client.py": CLIENT})
    earlier = Earlier()
    lint_paths([str(tmp_path)], Options(cache=False, jobs=1), earlier=earlier)
    path = tmp_path / "client.py"
    tree = earlier.tree_of(path, path.read_bytes())
    assert tree is not None and tree[0].code == CLIENT and tree[1] == path.read_bytes()
    assert earlier.tree_of(path, path.read_bytes() + b"\n") is None  # changed since the check
    assert earlier.tree_of(tmp_path / "other.py", b"") is None
    source = path.read_bytes()
    edit = Edit(str(path), Span(2, 32, 2, 36), "v3.1")
    new, applied = apply_edits(source, [edit], tree)
    assert applied == 1 and new == source.replace(b"v2.1", b"v3.1")
    assert (new, applied) == apply_edits(source, [edit])


def test_fix_reads_again_with_the_prefilter_only_the_files_it_changed(tmp_path, monkeypatch):
    """The prefilter's levels and linking facts of an unchanged file are reused by fix's check
    of the fixed code; the files fix changed are read again."""
    from linter.source import prefilter

    files = {
        "client.py": CLIENT,
        "routes.py": 'ROUTES = ["/students/<id>"]\n',
        "plain.py": "def total(items):\n    return sum(items)\n",
        "users.py": "from client import BASE\n\n\ndef url(path):\n    return BASE + path\n",
    }
    write_tree(tmp_path, files)
    tested = []
    level = prefilter.Trigger.level

    def counting(self, data):
        if sys._getframe(1).f_globals["__name__"] == "linter.source.prefilter":  # not a statement's test
            tested.append(data)
        return level(self, data)

    monkeypatch.setattr(prefilter.Trigger, "level", counting)
    report = fix_paths([str(tmp_path)], Options(cache=False, jobs=1), diff=True)
    fixed = report.written[next(iter(report.written))]
    assert [Path(p).name for p in report.written] == ["client.py"]
    assert len(tested) == len(files) + 1 and tested.count(fixed) == 1
    assert report.after is not None and {f.code for f in report.after.findings} == {
        f.code for f in lint_paths([str(tmp_path)], Options(cache=False)).findings
    } - {"CLV301", "CLV310"}
