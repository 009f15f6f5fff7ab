"""The `check` command through click: output formats, exit status, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import run_cli

V2_CODE = (
    'import requests\nBASE = "https://api.clever.com/v2.1"\ndef f(t):\n'
    '    return requests.get(f"{BASE}/teachers/{t}/sections")\n'
)


def run(args, cwd):
    """Invoke the CLI in-process with `cwd` as the working directory."""
    return run_cli(cwd, *args)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "client.py").write_text(V2_CODE)
    (tmp_path / "app" / "clean.py").write_text('URL = "https://api.clever.com/v3.1/users"\n')
    return tmp_path


def test_text_output_and_exit_status(project):
    result = run(["check", "app"], project)
    assert result.exit_code == 1
    assert result.output == (
        "app/client.py:2:32: CLV310 Clever API v2.1 URL: move to v3.1 together with every role endpoint on it\n"
        "  |\n"
        '2 | BASE = "https://api.clever.com/v2.1"\n'
        "  |                                ^^^^\n"
        "  |\n"
        "app/client.py:4:34: CLV302 v2 role endpoint /v2.1/teachers/{id}/sections: use /v3.1/users/{id}/sections; "
        "the ID in this path must be the v3 user ID (teacher IDs change in v3; the old one is "
        "roles.teacher.legacy_id)\n"
        "  |\n"
        '4 |     return requests.get(f"{BASE}/teachers/{t}/sections")\n'
        "  |                                  ^^^^^^^^^^^^^^^^^^^^^\n"
        "  |\n"
        "Found 2 findings in 1 file (2 checked); 2 fixable with `clever-upgrade fix --unsafe-fixes`.\n"
    )
    plain = run(["check", "--no-show-source", "app"], project)
    assert [line for line in result.output.splitlines() if ": CLV" in line] == plain.output.splitlines()[:-1]


def test_default_path_is_the_current_directory(project):
    result = run(["check", "--quiet"], project)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("app/client.py:2:32: CLV310")
    assert not result.output.splitlines()[-1].startswith("Found")


def test_clean_tree_exits_zero(project):
    result = run(["check", "app/clean.py"], project)
    assert result.exit_code == 0
    assert result.output == "No Clever v2 constructs found in 1 file.\n"


def test_low_confidence_findings_are_hidden_by_default_and_counted(tmp_path):
    (tmp_path / "paths.py").write_text('TEACHERS = "/teachers"\n')
    (tmp_path / "client.py").write_text('from paths import TEACHERS\nBASE = "https://example.org"\n')
    result = run(["check", "paths.py", "client.py"], tmp_path)
    assert result.exit_code == 0
    assert result.output == (
        "No Clever v2 constructs found in 2 files. 1 finding below medium confidence not shown "
        "(--min-confidence low shows them).\n"
    )
    # a file of role words that meets no Clever code is not parsed at all at medium confidence
    result = run(["check", "paths.py"], tmp_path)
    assert result.exit_code == 0
    assert result.output == "No Clever v2 constructs found in 1 file.\n"
    result = run(["check", "paths.py", "--min-confidence", "low"], tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith("paths.py:1:14: CLV301 v2 role endpoint /teachers: use /users?role=teacher\n")


def test_json_contract(project):
    result = run(["check", "--format", "json", "app"], project)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["version"] == 1
    assert data["summary"] == {
        "findings": 2,
        "fixable": 2,
        "files_checked": 2,
        "files_with_findings": 1,
        "by_code": {"CLV302": 1, "CLV310": 1},
        "min_confidence": "medium",
        "below_min_confidence": 0,
    }
    assert data["findings"][1] == {
        "path": "app/client.py",
        "line": 4,
        "column": 34,
        "end_line": 4,
        "end_column": 55,
        "code": "CLV302",
        "step": 3,
        "severity": "error",
        "confidence": "high",
        "message": data["findings"][1]["message"],
        "fixable": True,
        "v2": "/v2.1/teachers/{id}/sections",
        "v3": "/v3.1/users/{id}/sections",
        # unsafe: the teacher ID in the path must become a v3 user ID
        "fix": {
            "applicability": "unsafe",
            "edits": [
                {
                    "path": "app/client.py",
                    "span": {"line": 4, "column": 34, "end_line": 4, "end_column": 42},
                    "text": "users",
                }
            ],
        },
    }


def test_unparsable_file_is_reported_and_the_run_continues(project):
    (project / "app" / "legacy.py").write_text('print "https://api.clever.com/v2.1/students"\n')
    result = run(["check", "app"], project)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # Python's own message: 3.9's parser quotes the call and points at its argument
    where, call = (
        ("1:1", "print(...)")
        if sys.version_info >= (3, 10)
        else ("1:7", 'print("https://api.clever.com/v2.1/students")')
    )
    assert (
        f"app/legacy.py:{where}: CLV001 cannot parse this file (Missing parentheses in call to 'print'. Did you mean "
        f"{call}?); it was not checked"
    ) in lines
    assert any(line.startswith("app/client.py:4:34: CLV302") for line in lines)


def test_unparsable_file_without_clever_text_in_a_directory_is_not_parsed(tmp_path):
    (tmp_path / "legacy.py").write_text('print "hello"\n')
    assert run(["check", "."], tmp_path).output == "No Clever v2 constructs found in 1 file.\n"
    result = run(["check", "--no-prefilter", "."], tmp_path)
    where = "1:1" if sys.version_info >= (3, 10) else "1:7"  # Python 3.9's parser points at the argument
    assert result.output.startswith(f"legacy.py:{where}: CLV001 cannot parse this file")
    assert run(["check", "legacy.py"], tmp_path).output.startswith(f"legacy.py:{where}: CLV001")  # named: parsed


def test_unparsable_file_alone_exits_one(tmp_path):
    (tmp_path / "bad.py").write_text("def f(:\n")
    result = run(["check", "bad.py"], tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith("bad.py:1:7: CLV001 cannot parse this file (invalid syntax)")


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "missing.py"], "clever-upgrade: error: missing.py: no such file or directory\n"),
    ],
)
def test_missing_path_is_a_usage_error(tmp_path, args, message):
    result = run(args, tmp_path)
    assert result.exit_code == 2
    assert result.output == message


def test_bad_option_value_is_a_usage_error(tmp_path):
    result = run(["check", "--min-confidence", "certain"], tmp_path)
    assert result.exit_code == 2
    assert "Invalid value for '--min-confidence'" in result.output


def test_skipped_directories(tmp_path):
    for directory in (".git", "node_modules", "__pycache__", "build", ".venv", "myenv"):
        (tmp_path / directory).mkdir()
        (tmp_path / directory / "x.py").write_text(V2_CODE)
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    result = run(["check", "--no-show-source", "."], tmp_path)
    assert result.exit_code == 0, result.output


def test_python_dash_m_and_version():
    completed = subprocess.run([sys.executable, "-m", "linter", "--version"], capture_output=True, text=True)
    assert completed.returncode == 0
    assert completed.stdout.startswith("clever-upgrade, version ")


def test_internal_error_in_one_file_is_a_finding_not_a_traceback(tmp_path, monkeypatch):
    from linter.analysis import modules as api

    (tmp_path / "a.py").write_text(V2_CODE)
    (tmp_path / "b.py").write_text(V2_CODE)
    real = api.ModuleAnalysis._evaluate

    def broken(self, module):
        if module.display.endswith("a.py"):
            raise RuntimeError("boom")
        return real(self, module)

    monkeypatch.setattr(api.ModuleAnalysis, "_evaluate", broken)
    result = run(["check", "--no-show-source", "."], tmp_path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "a.py:1:1: CLV002 internal error while analysing this file (RuntimeError: boom); "
        "it was not fully checked, please report it"
    )
    assert lines[1].startswith("b.py:2:32: CLV310")


def test_a_run_over_files_without_clever_code_loads_neither_libcst_nor_yaml(tmp_path):
    """Start-up cost: LibCST is imported only when a file is parsed, PyYAML only to compile the
    catalog once (its copy is kept in the package's __pycache__) or for a YAML --config."""
    (tmp_path / "plain.py").write_text("def total(xs):\n    return sum(x for x in xs)\n", encoding="utf-8")
    (tmp_path / "settings.toml").write_text('[db]\nurl = "postgres://localhost/app"\n', encoding="utf-8")
    script = (
        "import sys\n"
        "from linter.cli import main\n"
        "try:\n"
        "    main(['check', '--no-cache', sys.argv[1]])\n"
        "except SystemExit as exc:\n"
        "    print(exc.code, 'libcst' in sys.modules, 'yaml' in sys.modules)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
        for _ in range(2)
    ]
    assert runs[1].stdout.split()[-3:] == ["0", "False", "False"], runs[1].stdout + runs[1].stderr
