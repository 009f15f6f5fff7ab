"""Configuration, suppressions, baselines, output formats and exit status of `check`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import run_cli as run

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
V2 = 'import requests\nBASE = "https://api.clever.com/v2.1"\nrequests.get(BASE + "/teachers")\n'


def codes(result) -> list:
    """The codes of the finding lines (not of the source lines shown below them)."""
    return [line.split()[1] for line in result.output.splitlines() if re.match(r"\S+:\d+:\d+: CLV", line)]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "client.py").write_text(V2)
    return tmp_path


# -- configuration ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "table, args, expected",
    [
        pytest.param("", [], ["CLV310", "CLV301"], id="defaults"),
        pytest.param('select = ["CLV31"]', [], ["CLV310"], id="select"),
        pytest.param('ignore = ["CLV310"]', [], ["CLV301"], id="ignore"),
        pytest.param('ignore = ["CLV310"]', ["--ignore", "CLV301"], ["CLV310"], id="command line wins"),
        pytest.param('per-file-ignores = {"app/*" = ["CLV3"]}', [], [], id="per-file-ignores"),
        pytest.param('exclude = ["app"]', [], [], id="exclude replaces the defaults"),
        pytest.param('extend-exclude = ["client.py"]', [], [], id="extend-exclude"),
        pytest.param('min-confidence = "high"', [], ["CLV310", "CLV301"], id="min-confidence"),
        pytest.param('target-version = "v3.0"', [], ["CLV310", "CLV301"], id="target-version"),
    ],
)
def test_config_keys(project, table, args, expected):
    (project / "pyproject.toml").write_text(f"[tool.clever-upgrade]\n{table}\n")
    assert codes(run(project, "check", *args)) == expected


def test_target_version_changes_the_advice(project):
    (project / "pyproject.toml").write_text('[tool.clever-upgrade]\ntarget-version = "v3.0"\n')
    assert "use /v3.0/users?role=teacher" in run(project, "check").output


def test_clever_hosts_adds_a_gateway(tmp_path):
    (tmp_path / "app.py").write_text('URL = "https://clever-proxy.internal.example/v2.1/students"\n')
    assert codes(run(tmp_path, "check")) == []
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clever-upgrade]\nclever-hosts = ["clever-proxy.internal.example"]\n'
    )
    assert codes(run(tmp_path, "check")) == ["CLV310", "CLV301"]


def test_fail_on(project):
    (project / "app" / "client.py").write_text('BASE = "https://api.clever.com/v2.1"\n')  # a warning only
    assert run(project, "check").exit_code == 1
    assert run(project, "check", "--fail-on", "error").exit_code == 0
    (project / "pyproject.toml").write_text('[tool.clever-upgrade]\nfail-on = "error"\n')
    assert run(project, "check").exit_code == 0


def test_config_found_walking_up_from_the_first_path(project):
    (project / "pyproject.toml").write_text('[tool.clever-upgrade]\nselect = ["CLV301"]\n')
    assert codes(run(project / "app", "check", "client.py")) == ["CLV301"]


@pytest.mark.parametrize(
    "name, text",
    [
        ("cu.toml", 'select = ["CLV301"]\n'),
        ("cu.toml", '[tool.clever-upgrade]\nselect = ["CLV301"]\n'),
        ("cu.yaml", "select: [CLV301]\n"),
        ("cu.yml", "clever-upgrade:\n  select: [CLV301]\n"),
    ],
)
def test_config_file_option(project, name, text):
    (project / name).write_text(text)
    assert codes(run(project, "check", "--config", name)) == ["CLV301"]


@pytest.mark.parametrize(
    "text, message",
    [
        ('[tool.clever-upgrade]\nselekt = ["CLV301"]\n', "pyproject.toml: unknown key 'selekt'"),
        ('[tool.clever-upgrade]\nselect = "CLV301"\n', "pyproject.toml: select: expected a list of strings"),
        (
            '[tool.clever-upgrade]\nselect = ["E501"]\n',
            "pyproject.toml: select: 'E501' is not a rule code or prefix (CLV...)",
        ),
        (
            '[tool.clever-upgrade]\nmin-confidence = "sure"\n',
            "pyproject.toml: min-confidence: expected one of low, medium, high, got 'sure'",
        ),
        (
            '[tool.clever-upgrade]\ntarget-version = "v4"\n',
            "pyproject.toml: target-version: expected one of v3.0, v3.1, got 'v4'",
        ),
        (
            "[tool.clever-upgrade]\nfail-on = 3\n",
            "pyproject.toml: fail-on: expected one of info, warning, error, got 3",
        ),
        (
            '[tool.clever-upgrade]\nper-file-ignores = ["x"]\n',
            "pyproject.toml: per-file-ignores: expected a table of pattern = [codes]",
        ),
        ("[tool.clever-upgrade\n", "pyproject.toml: not valid TOML:"),
    ],
)
def test_config_errors_are_one_line_and_exit_two(project, text, message):
    (project / "pyproject.toml").write_text(text)
    result = run(project, "check")
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith("clever-upgrade: error: ") and message in result.output


def test_missing_config_file(project):
    result = run(project, "check", "--config", "nope.toml")
    assert result.exit_code == 2 and "nope.toml: cannot read it" in result.output


# -- suppression ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line, expected",
    [
        pytest.param('requests.get(BASE + "/teachers")  # noqa: CLV301', ["CLV310"], id="noqa with a code"),
        pytest.param('requests.get(BASE + "/teachers")  # noqa: CLV3', ["CLV310"], id="noqa with a prefix"),
        pytest.param('requests.get(BASE + "/teachers")  # noqa', ["CLV310"], id="bare noqa"),
        pytest.param(
            'requests.get(BASE + "/teachers")  # clever-upgrade: ignore[CLV301]', ["CLV310"], id="clever-upgrade ignore"
        ),
        pytest.param('requests.get(BASE + "/teachers")  # noqa: CLV310', ["CLV310", "CLV301"], id="another code"),
        pytest.param(
            'requests.get(\n    BASE\n    + "/teachers"\n)  # noqa: CLV301',
            ["CLV310"],
            id="last line of the expression",
        ),
        pytest.param(
            'requests.get(BASE  # noqa: CLV301\n    + "/teachers")', ["CLV310"], id="first line of the expression"
        ),
        pytest.param(
            'requests.get(\n    BASE  # noqa: CLV301\n    + "/teachers"\n)',
            ["CLV310", "CLV301"],
            id="a middle line does not count",
        ),
    ],
)
def test_suppression(tmp_path, line, expected):
    (tmp_path / "app.py").write_text('import requests\nBASE = "https://api.clever.com/v2.1"\n' + line + "\n")
    assert codes(run(tmp_path, "check")) == expected


def test_show_suppressed_and_unused(tmp_path):
    (tmp_path / "app.py").write_text(
        (
            'URL = "https://api.clever.com/v2.1/teachers"  # noqa: CLV301, CLV310\n'
            'OK = "https://api.clever.com/v3.1/users"  # noqa: CLV301\n'
        )
    )
    result = run(tmp_path, "check", "--show-suppressed")
    assert result.exit_code == 0
    assert "2 findings suppressed by noqa comments." in result.output
    assert "Suppressed:\n  app.py:1:31: CLV310" in result.output
    result = run(tmp_path, "check", "--report-unused-suppressions")
    assert codes(result) == ["CLV003"]
    assert "app.py:2:43: CLV003 unused suppression comment" in result.output


# -- baseline ------------------------------------------------------------------------------------
def test_baseline_round_trip(project):
    assert run(project, "check", "--write-baseline", "baseline.json").exit_code == 0
    assert run(project, "check", "--baseline", "baseline.json").exit_code == 0
    client = project / "app" / "client.py"
    client.write_text("# a comment that moves every line down\n\n" + V2 + 'requests.get(BASE + "/students")\n')
    result = run(project, "check", "--baseline", "baseline.json")
    assert result.exit_code == 1
    assert codes(result) == ["CLV301"] and "/students" in result.output
    client.write_text('import requests\nBASE = "https://api.clever.com/v2.1"\n')
    result = run(project, "check", "--baseline", "baseline.json")
    assert "1 baseline entry matched nothing (stale)." in result.output


def test_bad_baseline_is_a_usage_error(project):
    (project / "b.json").write_text("{}")
    result = run(project, "check", "--baseline", "b.json")
    assert result.exit_code == 2 and "b.json: not a clever-upgrade baseline" in result.output


# -- output formats ------------------------------------------------------------------------------
def test_sarif_validates_against_the_official_schema(project):
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SCHEMA} (../shared/schemas is absent)")
    jsonschema = pytest.importorskip("jsonschema")
    result = run(project, "check", "--format", "sarif")
    data = json.loads(result.output)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    run_data = data["runs"][0]
    assert {r["id"] for r in run_data["tool"]["driver"]["rules"]} >= {"CLV301", "CLV310", "CLV502"}
    results = run_data["results"]
    assert [r["ruleId"] for r in results] == ["CLV310", "CLV301"]
    assert results[1]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "users"
    assert all(len(r["partialFingerprints"]["cleverUpgrade/v1"]) == 32 for r in results)


def test_github_annotations(project):
    result = run(project, "check", "--format", "github")
    assert result.output.splitlines()[1] == (
        "::error file=app/client.py,line=3,col=23,endLine=3,endColumn=31,title=CLV301::"
        "v2 role endpoint /v2.1/teachers: use /v3.1/users?role=teacher"
    )


def test_statistics_and_output_file(project):
    result = run(project, "check", "--statistics", "--output-file", "stats.txt")
    assert result.output == ""
    assert (project / "stats.txt").read_text().splitlines() == [
        "    1  CLV301  role-collection-endpoint         1 fixable",
        "    1  CLV310  version-pin                      1 fixable",
        "    2  total                                   2 fixable",
    ]


def test_checklist_format_of_check(project):
    result = run(project, "check", "--format", "checklist")
    assert result.output.startswith("# Clever API v3.1 migration checklist\n")


def test_exit_zero(project):
    assert run(project, "check", "--exit-zero").exit_code == 0
    assert run(project, "check", "nope", "--exit-zero").exit_code == 2


def test_no_color_without_a_terminal(project):
    result = run(project, "check")
    assert "\x1b[" not in result.output


def test_progress_only_on_a_terminal_and_for_many_files(monkeypatch):
    import io

    from linter.cli import check as cli

    shown = io.StringIO()
    shown.isatty = lambda: True
    monkeypatch.setattr(cli.sys, "stderr", shown)
    with cli.Progress() as progress:
        progress(cli.Progress.MIN_FILES)
        for _ in range(cli.Progress.MIN_FILES):
            progress(None)
    assert "Checking" in shown.getvalue()
    quiet = io.StringIO()
    quiet.isatty = lambda: False
    monkeypatch.setattr(cli.sys, "stderr", quiet)
    with cli.Progress() as progress:
        progress(1000)
        progress(None)
    assert quiet.getvalue() == ""


def test_fix_and_checklist_read_the_configuration(project):
    (project / "pyproject.toml").write_text('[tool.clever-upgrade]\nignore = ["CLV301"]\n')
    result = run(project, "fix", ".")
    assert (project / "app" / "client.py").read_text() == V2  # the pin waits for its ignored path
    assert result.output.splitlines()[-1] == "Fixed 0 findings; 1 left."
    checklist = run(project, "checklist", "--format", "json")
    data = json.loads(checklist.output)
    assert [f["code"] for step in data["steps"] for f in step["findings"]] == ["CLV310"]


@pytest.mark.parametrize(
    "args, config, message",
    [
        (["--select", "CLV9"], "", "--select: unknown rule code or prefix 'CLV9' (see `clever-upgrade rules`)"),
        (["--select", "CLV3O1"], "", "--select: unknown rule code or prefix 'CLV3O1' (see `clever-upgrade rules`)"),
        (["--ignore", "clv3,CLV77"], "", "--ignore: unknown rule code or prefix 'CLV77' (see `clever-upgrade rules`)"),
        (
            [],
            '[tool.clever-upgrade]\nselect = ["CLV9"]\n',
            "pyproject.toml: select: unknown rule code or prefix 'CLV9'",
        ),
        (
            [],
            '[tool.clever-upgrade]\n[tool.clever-upgrade.per-file-ignores]\n"app/*" = ["CLV30X"]\n',
            "pyproject.toml: per-file-ignores.app/*: unknown rule code or prefix 'CLV30X'",
        ),
    ],
)
@pytest.mark.parametrize("command", ["check", "fix", "checklist"])
def test_a_typo_in_a_rule_selector_is_an_error_not_a_pass(project, args, config, message, command):
    """`--select CLV9` used to select nothing and pass the gate with "No Clever v2 constructs found"."""
    if config:
        (project / "pyproject.toml").write_text(config)
    result = run(project, command, *args)
    assert (result.exit_code, len(result.output.splitlines())) == (2, 1), result.output
    assert result.output.startswith("clever-upgrade: error: ") and message in result.output


def test_known_prefixes_and_codes_still_select(project):
    assert codes(run(project, "check", "--select", "clv3,CLV310")) == codes(run(project, "check"))


def test_an_unknown_code_in_a_suppression_comment_is_a_finding(tmp_path):
    (tmp_path / "app.py").write_text(
        'URL = "https://api.clever.com/v2.1/teachers"  # noqa: CLV3O1, E501\n'
        'OTHER = "https://api.clever.com/v2.1/students"  # clever-upgrade: ignore[CLV77]\n'
    )
    result = run(tmp_path, "check", "app.py")
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "CLV003" in line] == [
        "app.py:1:47: CLV003 suppression comment names 'CLV3O1', which is no clever-upgrade rule code or prefix "
        "(see `clever-upgrade rules`): it suppresses nothing",
        "app.py:2:49: CLV003 suppression comment names 'CLV77', which is no clever-upgrade rule code or prefix "
        "(see `clever-upgrade rules`): it suppresses nothing",
    ]


def test_an_unknown_code_in_a_parsed_file_without_findings_is_a_finding(tmp_path):
    """The file has nothing to report (its Clever URL is v3.1), but it is read: a typo in its
    suppression comment still surfaces."""
    (tmp_path / "app.py").write_text(
        'URL = "https://api.clever.com/v3.1/users"\nx = 1  # noqa: CLV3O1\n', encoding="utf-8"
    )
    result = run(tmp_path, "check", ".")
    assert result.exit_code == 1
    assert [line.split(" suppression")[0] for line in result.output.splitlines() if "CLV003" in line] == [
        "app.py:2:8: CLV003"
    ]
