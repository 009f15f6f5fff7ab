"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit (`pre-commit try-repo`) in a
temporary git repository. Slow (pre-commit installs the tool in its own environment): marked
`precommit`, deselect with -m "not precommit"; CI runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
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


def _snapshot(tmp_path: Path) -> tuple:
    """This working tree (its tracked and untracked files, less the ignored ones) committed in
    a repository of its own, as `pre-commit try-repo` makes one: (path, commit)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    snapshot = tmp_path / "snapshot"
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", ".")
    _git(snapshot, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "snapshot")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=snapshot, check=True, capture_output=True, text=True)
    return snapshot, commit.stdout.strip()


def test_check_hook_with_daemon_hands_the_later_runs_to_it(home, tmp_path):
    """`args: [--daemon]` in a user's configuration, run by pre-commit in its own environment:
    the first run checks in its own process and starts the daemon, the next is the daemon's,
    with the same report."""
    import tempfile

    from linter.daemon import client

    snapshot, commit = _snapshot(tmp_path)
    config = (
        f"repos:\n  - repo: {snapshot}\n    rev: {commit}\n    hooks:\n"
        "      - id: clever-upgrade\n        args: [--daemon]\n"
    )
    work = _repo(tmp_path, {"roster.py": V2, ".pre-commit-config.yaml": config})
    folder = tempfile.mkdtemp(prefix="cud-")  # a socket's path must stay short
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PRE_COMMIT_HOME=str(home), CLEVER_UPGRADE_DAEMON_DIR=folder)
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files"]

    def served() -> list:
        return [status["served"] for status in map(lambda p: client.ask(p, "status"), client.sockets(folder)) if status]

    try:
        first = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=900)
        assert first.returncode == 1, first.stdout + first.stderr
        deadline = time.monotonic() + 60
        while served() != [0]:
            assert time.monotonic() < deadline, "the first run started no daemon"
            time.sleep(0.2)
        second = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=300)
        assert second.returncode == 1, second.stdout + second.stderr
        assert served() == [1]
        report = "roster.py:4:34: CLV301 v2 role endpoint /v3.1/teachers: use /v3.1/users?role=teacher"
        assert report in second.stdout
        hook = first.stdout[first.stdout.index("clever-upgrade check") :]
        assert second.stdout[second.stdout.index("clever-upgrade check") :] == hook
    finally:
        for path in client.sockets(folder):
            client.ask(path, "stop")
        shutil.rmtree(folder, ignore_errors=True)
