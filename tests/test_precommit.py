"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit (`pre-commit try-repo`) in a
temporary git repository. Slow (pre-commit installs the tool in its own environment): marked
`precommit`, deselect with -m "not precommit"; CI runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.precommit

V2 = (
    'import requests\nBASE = "https://api.clever.com/v3.1"\ndef teachers():\n'
    '    return requests.get(BASE + "/teachers")\n'
)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return tmp_path_factory.mktemp("pre-commit-home")


def _try(home: Path, work: Path, hook: str):
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--all-files"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _repo(tmp_path: Path, files: dict) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q")
    for name, text in files.items():
        (work / name).write_text(text)
    _git(work, "add", ".")
    return work


def test_check_hook_fails_with_the_findings(home, tmp_path):
    work = _repo(tmp_path, {"roster.py": V2, "README.md": "not checked\n"})
    completed = _try(home, work, "clever-upgrade")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "roster.py:4:34: CLV301 v2 role endpoint /v3.1/teachers: use /v3.1/users?role=teacher" in completed.stdout


def test_fix_hook_rewrites_the_file_then_a_clean_repo_passes(home, tmp_path):
    work = _repo(tmp_path, {"roster.py": V2})
    completed = _try(home, work, "clever-upgrade-fix")
    assert completed.returncode == 1  # it changed a file: pre-commit fails the hook
    assert (work / "roster.py").read_text() == V2.replace('"/teachers"', '"/users?role=teacher"')
    _git(work, "add", ".")
    again = _try(home, work, "clever-upgrade")
    assert again.returncode == 0, again.stdout + again.stderr
