"""The flags and comments an experienced linter user expects (issue 18), each on a v2 snippet."""

from __future__ import annotations

from tests.helpers import run_cli

V2 = 'import requests\n\nrequests.get("https://api.clever.com/v2.1/teachers")\n'


def test_a_skip_file_comment_suppresses_the_whole_file(tmp_path):
    (tmp_path / "legacy.py").write_text("# clever-upgrade: skip-file\n" + V2)
    (tmp_path / "sync.py").write_text(V2)
    result = run_cli(tmp_path, "check", "--no-cache", ".")
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.output.splitlines() if ": CLV" in line] == ["sync.py", "sync.py"]
    shown = run_cli(tmp_path, "check", "--no-cache", "--show-suppressed", ".")
    assert "legacy.py:4:" in shown.output
    fixed = run_cli(tmp_path, "fix", "--no-cache", ".")
    assert (tmp_path / "legacy.py").read_text() == "# clever-upgrade: skip-file\n" + V2  # never rewritten
    assert "v3.1/users?role=teacher" in (tmp_path / "sync.py").read_text() and fixed.exit_code == 0


def test_skip_file_must_stand_on_a_line_of_its_own(tmp_path):
    (tmp_path / "sync.py").write_text(V2.replace("\n\n", '\n\nNOTE = "# clever-upgrade: skip-file"\n'))
    assert run_cli(tmp_path, "check", "--no-cache", ".").exit_code == 1


def _apply(text: str, edits) -> str:
    """The JSON edits applied to a text, last first."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line, column):
        return starts[line - 1] + column - 1

    for edit in sorted(edits, key=lambda e: (e["span"]["line"], e["span"]["column"]), reverse=True):
        span = edit["span"]
        start, end = offset(span["line"], span["column"]), offset(span["end_line"], span["end_column"])
        text = text[:start] + edit["text"] + text[end:]
    return text


def test_the_json_report_carries_the_exact_edits_fix_makes(tmp_path):
    import json

    (tmp_path / "sync.py").write_text(V2)
    report = json.loads(run_cli(tmp_path, "check", "--no-cache", "--format", "json", ".").output)
    edits = [e for f in report["findings"] if "fix" in f for e in f["fix"]["edits"]]
    assert {f["fix"]["applicability"] for f in report["findings"] if "fix" in f} == {"safe"}
    assert all(e["path"] == "sync.py" for e in edits) and edits
    expected = _apply(V2, edits)
    assert run_cli(tmp_path, "fix", "--no-cache", ".").exit_code == 0
    assert (tmp_path / "sync.py").read_text() == expected
    assert [f for f in report["findings"] if not f["fixable"] and "fix" in f] == []


def test_statistics_honour_the_json_format(tmp_path):
    import json

    (tmp_path / "sync.py").write_text(V2 + 'requests.get("https://api.clever.com/v2.1/students")\n')
    rows = json.loads(run_cli(tmp_path, "check", "--no-cache", "--statistics", "--format", "json", ".").output)
    assert rows[0] == {"code": "CLV301", "name": "role-collection-endpoint", "count": 2, "fixable": 2}
    text = run_cli(tmp_path, "check", "--no-cache", "--statistics", ".").output
    assert text.splitlines()[0].split()[:2] == [str(rows[0]["count"]), rows[0]["code"]]


def test_check_reads_the_source_from_standard_input(tmp_path):
    import subprocess
    import sys

    (tmp_path / "settings.py").write_text('BASE = "https://api.clever.com/v2.1"\n')
    source = "import requests\nfrom settings import BASE\n\nrequests.get(BASE + '/teachers')\n"

    def check_stdin(name):
        return subprocess.run(
            [sys.executable, "-m", "linter", "check", "--no-cache", "--stdin-filename", name, "-"],
            cwd=tmp_path,
            input=source,
            capture_output=True,
            text=True,
        )

    run = check_stdin("app/sync.py")
    # the import is looked up beside the named file (app/), where settings.py is not: the path alone
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("app/sync.py:4:")
    run = check_stdin("sync.py")
    assert "sync.py:4:" in run.stdout and "CLV301 v2 role endpoint /v2.1/teachers" in run.stdout  # BASE resolved
    assert not (tmp_path / "sync.py").exists()  # nothing is written
    bad = run_cli(tmp_path, "check", "-", "other.py")
    assert bad.exit_code == 2 and "cannot be mixed" in bad.output


def test_add_noqa_silences_every_finding_and_keeps_the_file_parsing(tmp_path):
    source = (
        "import requests\n\n"
        'requests.get("https://api.clever.com/v2.1/teachers")  # noqa: E501\n'
        "TEXT = requests.get(\n"
        '    "https://api.clever.com/v2.1/students"\n'
        ")\n"
    )
    (tmp_path / "sync.py").write_text(source)
    (tmp_path / "clever.ini").write_text("[clever]\nbase = https://api.clever.com/v2.1\n")
    result = run_cli(tmp_path, "check", "--no-cache", "--add-noqa", ".")
    assert result.exit_code == 1  # the .ini file could not take a comment
    assert "clever.ini: no noqa comment added: a trailing comment is not safe" in result.output
    assert "Added 2 noqa comments to 1 file(s)." in result.output  # one per statement, with every code
    assert (tmp_path / "sync.py").read_text() == (
        "import requests\n\n"
        'requests.get("https://api.clever.com/v2.1/teachers")  # noqa: CLV301, CLV310, E501\n'
        "TEXT = requests.get(\n"
        '    "https://api.clever.com/v2.1/students"\n'
        ")  # noqa: CLV301, CLV310\n"
    )
    again = run_cli(tmp_path, "check", "--no-cache", "sync.py")
    assert again.exit_code == 0, again.output


def test_fix_and_checklist_take_a_baseline_and_an_output_file(tmp_path):
    (tmp_path / "old.py").write_text(V2)
    assert run_cli(tmp_path, "check", "--no-cache", "--write-baseline", "base.json", ".").exit_code == 0
    (tmp_path / "new.py").write_text(V2.replace("teachers", "students"))
    check = run_cli(tmp_path, "check", "--no-cache", "--baseline", "base.json", ".")
    assert "2 findings hidden by the baseline." in check.output.splitlines()[-1]

    fixed = run_cli(tmp_path, "fix", "--no-cache", "--baseline", "base.json", "-o", "fix.txt", ".")
    assert fixed.exit_code == 0 and fixed.output == ""
    assert (tmp_path / "old.py").read_text() == V2  # accepted in the baseline: left alone
    assert "v3.1/users?role=student" in (tmp_path / "new.py").read_text()
    assert (tmp_path / "fix.txt").read_text().splitlines() == [
        "new.py: fixed 2 (CLV301, CLV310)",
        "Fixed 2 findings; 0 left.",
    ] or (tmp_path / "fix.txt").read_text().startswith("new.py: fixed")

    listed = run_cli(tmp_path, "checklist", "--no-cache", "--baseline", "base.json", "-o", "plan.md", ".")
    assert listed.exit_code == 0 and listed.output == ""
    assert "0 findings in 0 of" in (tmp_path / "plan.md").read_text()
    plain = run_cli(tmp_path, "checklist", "--no-cache", ".").output
    assert "2 findings in 1 of" in plain


def test_fix_quiet_and_exit_zero(tmp_path):
    source = V2 + "\ndef one(role):\n    return requests.get('https://api.clever.com/v2.1/%s' % role)\n"
    (tmp_path / "sync.py").write_text(source)
    quiet = run_cli(tmp_path, "fix", "--no-cache", "-q", "--diff", ".")
    assert quiet.exit_code == 1 and not quiet.output.splitlines()[-1].startswith("Would fix")
    zero = run_cli(tmp_path, "fix", "--no-cache", "--exit-zero", ".")
    assert zero.exit_code == 0 and zero.output.splitlines()[-1].endswith("left.")


def test_gitignored_files_are_skipped_unless_asked(tmp_path):
    import shutil
    import subprocess

    import pytest

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "client.py").write_text(V2)
    (tmp_path / "sync.py").write_text(V2)
    default = run_cli(tmp_path, "check", "--no-cache", ".")
    assert {line.split(":")[0] for line in default.output.splitlines() if ": CLV" in line} == {"sync.py"}
    everything = run_cli(tmp_path, "check", "--no-cache", "--no-respect-gitignore", ".")
    assert "generated/client.py" in {line.split(":")[0] for line in everything.output.splitlines() if ": CLV" in line}
    named = run_cli(tmp_path, "check", "--no-cache", "generated/client.py")  # named explicitly: checked
    assert named.exit_code == 1
    (tmp_path / "pyproject.toml").write_text("[tool.clever-upgrade]\nrespect-gitignore = false\n")
    assert "generated/client.py:" in run_cli(tmp_path, "check", "--no-cache", ".").output


def test_a_run_that_checked_no_file_says_so(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to check\n")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "gen.py").write_text(V2)
    result = run_cli(tmp_path, "check", "--no-cache", ".")
    assert result.exit_code == 0
    assert result.output.strip() == "No Python or configuration file was checked (1 excluded path skipped)."


def test_calls_on_one_line_are_named_once(tmp_path):
    (tmp_path / "s.py").write_text(
        'import requests\nBASE = "https://api.clever.com/v2.1"\nROLES = {"t": "teachers", "s": "students"}\n\n\n'
        'def person(role, pid):\n    return requests.get(BASE + "/%s/%s" % (ROLES[role], pid))\n'
    )
    output = run_cli(tmp_path, "check", "--no-cache", "--no-show-source", ".").output
    assert (
        "CLV602 role fallback or per-role calls: /v2.1/teachers/{id} and /v2.1/students/{id} (line 3) both become "
        "/v3.1/users/{id}" in output
    )
    left = run_cli(tmp_path, "fix", "--no-cache", "--diff", ".").output
    assert "[not rewritten: this function also calls /v2.1/students/{id} (line 3), which" in left
    assert "also calls  " not in left and "also calls ," not in left


def test_a_v3_0_target_speaks_of_v3_0_everywhere(tmp_path):
    import shutil
    from pathlib import Path

    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "roster_sync", tmp_path / "roster_sync")
    check = run_cli(tmp_path, "check", "--no-cache", "--no-show-source", "--target-version", "v3.0", "roster_sync")
    plan = run_cli(tmp_path, "checklist", "--no-cache", "--target-version", "v3.0", "roster_sync")
    fixed = run_cli(tmp_path, "fix", "--no-cache", "--diff", "--target-version", "v3.0", "roster_sync")
    for output in (check.output, plan.output, fixed.output):
        assert "v3.1" not in output and "v3.0" in output
    assert plan.output.startswith("# Clever API v3.0 migration checklist")


def test_sarif_carries_a_fix_for_every_fixable_finding(tmp_path):
    import json

    (tmp_path / "c.py").write_text(
        'import requests\nBASE = "https://api.clever.com/v2.1"\n\n\ndef f(t):\n'
        '    return requests.get(f"{BASE}/teachers/{t}/sections")\n'
    )
    sarif = json.loads(run_cli(tmp_path, "check", "--no-cache", "--format", "sarif", ".").output)
    results = sarif["runs"][0]["results"]
    report = json.loads(run_cli(tmp_path, "check", "--no-cache", "--format", "json", ".").output)["findings"]
    assert [bool(r.get("fixes")) for r in results] == [f["fixable"] for f in report] == [True, True]
    unsafe = [r for r in results if r["ruleId"] == "CLV302"][0]["fixes"][0]
    assert "unsafe" in unsafe["description"]["text"]
    (replacement,) = unsafe["artifactChanges"][0]["replacements"]
    assert replacement["insertedContent"]["text"] == "users" and replacement["deletedRegion"]["startColumn"] == 34


VERBOSE_TREE = {
    "app/__init__.py": "",
    "app/roster_api.py": (
        'import requests\n\nBASE = "https://api.clever.com/v2.1"\n\n\n'
        "def get(path):\n    return requests.get(BASE + path)\n"
    ),
    "app/sync.py": 'from app.roster_api import get\n\n\ndef teachers():\n    return get("/teachers")\n',
    "app/billing.py": "def total(items):\n    return sum(items)\n",
}


def _verbose_tree(tmp_path):
    from tests.helpers import write_tree

    write_tree(tmp_path, VERBOSE_TREE)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")


def test_verbose_says_what_the_run_found_parsed_and_why(tmp_path):
    import subprocess
    import sys

    _verbose_tree(tmp_path)
    run = [sys.executable, "-m", "linter", "check", "--no-cache", "--no-show-source", "-v", "app"]
    completed = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True)
    err = completed.stderr.splitlines()
    assert err[0] == (
        "clever-upgrade: 4 Python files and 0 other files found; 2 parsed, 2 left out by the prefilter, 0 more "
        "read on demand (imports, base classes, settings); 0 top-level statements left out of the parse"
    )
    assert err[1].startswith("clever-upgrade: time: prefilter ") and " parse " in err[1] and " analysis " in err[1]
    assert err[2:] == [
        "  parsed app/roster_api.py: it makes a Clever URL or client",
        "  parsed app/sync.py: it imports app.roster_api (app/roster_api.py)",
    ]
    assert completed.stdout.startswith("app/roster_api.py:3:32: CLV310")  # the report itself is unchanged
    slowest = subprocess.run(run + ["-v"], cwd=tmp_path, capture_output=True, text=True).stderr.splitlines()
    assert slowest[4] == "clever-upgrade: the slowest modules to analyse:"
    assert {line.split("s  ")[-1] for line in slowest[5:]} == {"app/roster_api.py", "app/sync.py"}


def test_verbose_says_when_the_result_came_from_the_cache(tmp_path):
    import subprocess
    import sys

    _verbose_tree(tmp_path)
    run = [sys.executable, "-m", "linter", "check", "-v", "app"]
    first = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True)
    assert "found; 2 parsed" in first.stderr
    cached = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True)
    assert cached.stderr == (
        "clever-upgrade: the result came from the cache: nothing was analysed (--no-cache analyses again)\n"
    )
    assert cached.stdout == first.stdout


def test_output_format_is_the_same_flag_as_format(tmp_path):
    _verbose_tree(tmp_path)
    as_ruff = run_cli(tmp_path, "check", "--no-cache", "--output-format", "json", "app")
    as_ours = run_cli(tmp_path, "check", "--no-cache", "--format", "json", "app")
    assert as_ruff.exit_code == as_ours.exit_code == 1
    assert as_ruff.output == as_ours.output and as_ruff.output.startswith("{")
    listing = run_cli(tmp_path, "checklist", "--no-cache", "--output-format", "json", "app")
    assert listing.exit_code == 0 and listing.output.startswith("{")
