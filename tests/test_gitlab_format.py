"""`check --format gitlab`: GitLab's code quality report, checked against the fields GitLab
documents for it (description, check_name, fingerprint, severity, location.path,
location.lines.begin), on the example integration."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_the_code_quality_report_has_gitlabs_fields():
    result = run_cli(ROOT / "examples", "check", "--format", "gitlab", "--no-cache", "roster_sync")
    assert result.exit_code == 1
    issues = json.loads(result.output)
    text = run_cli(ROOT / "examples", "check", "--format", "json", "--no-cache", "roster_sync")
    findings = json.loads(text.output)["findings"]
    assert len(issues) == len(findings) > 0
    for issue, finding in zip(issues, findings):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["description"] == f"{finding['code']} {finding['message']}"
        assert issue["check_name"] == finding["code"]
        assert issue["severity"] in GITLAB_SEVERITIES
        assert issue["location"]["path"] == finding["path"] and (ROOT / "examples" / finding["path"]).is_file()
        assert issue["location"]["lines"]["begin"] == finding["line"]
    prints = [issue["fingerprint"] for issue in issues]
    assert len(set(prints)) == len(prints) and all(isinstance(p, str) and len(p) == 32 for p in prints)
    severities = {(i["check_name"], i["severity"]) for i in issues}
    assert ("CLV301", "major") in severities  # an error


def test_fingerprints_survive_a_line_shift(tmp_path):
    source = 'import requests\nrequests.get("https://api.clever.com/v2.1/teachers")\n'
    (tmp_path / "sync.py").write_text(source)
    before = json.loads(run_cli(tmp_path, "check", "--format", "gitlab", "--no-cache", ".").output)
    (tmp_path / "sync.py").write_text("# a new first line\n" + source)
    after = json.loads(run_cli(tmp_path, "check", "--format", "gitlab", "--no-cache", ".").output)
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    assert [i["location"]["lines"]["begin"] for i in after] == [i["location"]["lines"]["begin"] + 1 for i in before]
