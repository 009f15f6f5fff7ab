"""The resident process of `--daemon` runs (linter.daemon): a run handed to it prints the same
output, to the same streams, with the same exit status as a process of its own, and edits the
same files; it is started on first use, never on CI nor in a directory others can enter, ends
when idle, and a Ctrl-C in the client interrupts the run there."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from linter.daemon import client as daemon

pytestmark = [
    pytest.mark.skipif(not daemon.supported(), reason="the daemon needs Unix sockets and fork"),
    pytest.mark.slow,
]

V2 = """import requests

BASE = "https://api.clever.com/v2.1"


def sections(teacher_id, token):
    return requests.get(f"{BASE}/teachers/{teacher_id}/sections", headers={"Authorization": token}).json()


def students(token):
    return requests.get(BASE + "/students", headers={"Authorization": token}).json()
"""


@pytest.fixture
def folder():
    """A private socket directory with a short path (a Unix socket's path is limited to about
    100 bytes); every daemon started in it is stopped afterwards."""
    path = tempfile.mkdtemp(prefix="cud-")
    yield path
    env = _env(path)
    subprocess.run([sys.executable, "-m", "linter", "daemon", "stop"], env=env, capture_output=True, timeout=60)
    shutil.rmtree(path, ignore_errors=True)


def _env(folder: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # .ci/run sets CI: the daemon is off there
    env.update(CLEVER_UPGRADE_DAEMON_DIR=folder, **extra)
    return env


def _cli(cwd, env, *args, stdin=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "linter", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _status(folder: str):
    return daemon.ask(daemon.address(folder), "status")


def _start(folder: str, *extra: str) -> dict:
    started = _cli("/", _env(folder), "daemon", "start", *extra)
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith("clever-upgrade daemon running (pid ")
    status = _status(folder)
    assert status is not None and status["served"] == 0
    return status


def _project(root: Path) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "app" / "clever_sync.py").write_text(V2)
    (root / "app" / "views.py").write_text('ROUTE = "/api/v2/students/<int:pk>"\n')
    return root


def _headlines(text: str) -> list:
    """path:line:col: CODE of each finding of a text report."""
    return re.findall(r"^(\S+:\d+:\d+: CLV\d+) ", text, flags=re.M)


def _same(a, b) -> None:
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


def test_a_run_in_the_daemon_is_the_run_of_a_process_of_its_own(folder, tmp_path):
    project = _project(tmp_path / "p")
    _start(folder)
    env = _env(folder)
    for args in (
        ["check", "--no-cache", "app"],
        ["check", "--no-cache", "--format", "json", "app/clever_sync.py", "app/views.py"],
        ["check", "--no-cache", "--statistics", "."],
        ["checklist", "--no-cache", "app"],
        ["fix", "--diff", "--no-cache", "app"],
        ["check", "--no-cache", "--select", "CLV999", "app"],  # a usage error: exit 2, on standard error
        ["check", "--bogus"],  # click's usage message names the program as `python -m linter`
    ):
        own = _cli(project, env, *args)
        handed = _cli(project, env, *args, "--daemon")
        _same(handed, own)
    assert own.returncode == 2 and "Usage: python -m linter check" in own.stderr
    assert _status(folder)["served"] == 7


def test_the_console_script_hands_its_run_over_too(folder, tmp_path):
    """`clever-upgrade`, the script pre-commit runs, not `python -m linter`: its usage messages
    name it as a process of its own would."""
    script = Path(sys.executable).parent / "clever-upgrade"
    if not script.is_file():
        pytest.skip("clever-upgrade is not installed beside this interpreter")
    project = _project(tmp_path / "p")
    _start(folder)
    env = _env(folder)
    for args in (["check", "--no-cache", "app"], ["check", "--bogus"]):
        run = [str(script), *args]
        own = subprocess.run(run, cwd=project, env=env, capture_output=True, text=True, timeout=120)
        handed = subprocess.run(run + ["--daemon"], cwd=project, env=env, capture_output=True, text=True, timeout=120)
        _same(handed, own)
    assert "Usage: clever-upgrade check [OPTIONS]" in own.stderr
    assert _status(folder)["served"] == 2


def test_the_findings_and_their_exit_status_come_back(folder, tmp_path):
    project = _project(tmp_path / "p")
    _start(folder)
    handed = _cli(project, _env(folder), "check", "--daemon", "--no-cache", "app/clever_sync.py")
    assert handed.returncode == 1
    assert _headlines(handed.stdout) == [
        "app/clever_sync.py:3:32: CLV310",
        "app/clever_sync.py:7:34: CLV302",
        "app/clever_sync.py:11:34: CLV301",
    ]
    assert handed.stdout.endswith(
        "Found 3 findings in 1 file (1 checked); 3 fixable with `clever-upgrade fix --unsafe-fixes`.\n"
    )
    assert _status(folder)["served"] == 1


def test_standard_input_and_the_environment_are_the_clients(folder, tmp_path):
    _start(folder)
    env = _env(folder, NO_COLOR="1")
    args = ["check", "--no-cache", "--stdin-filename", "sync.py", "-"]
    own = _cli(tmp_path, env, *args, stdin=V2)
    handed = _cli(tmp_path, env, *args, "--daemon", stdin=V2)
    _same(handed, own)
    assert _headlines(handed.stdout) == ["sync.py:3:32: CLV310", "sync.py:7:34: CLV302", "sync.py:11:34: CLV301"]
    # the cache directory comes from the client's environment: the daemon's run writes there
    cache = tmp_path / "cache"
    env = _env(folder, CLEVER_UPGRADE_CACHE_DIR=str(cache))
    project = _project(tmp_path / "p")
    _cli(project, env, "check", "--daemon", "app")
    assert cache.is_dir() and any(cache.iterdir())
    assert _status(folder)["served"] == 2


def test_fix_in_the_daemon_writes_what_fix_writes(folder, tmp_path):
    first, second = _project(tmp_path / "a"), _project(tmp_path / "b")
    _start(folder)
    env = _env(folder)
    own = _cli(first, env, "fix", "--unsafe-fixes", "--no-cache", "app")
    handed = _cli(second, env, "fix", "--daemon", "--unsafe-fixes", "--no-cache", "app")
    _same(handed, own)
    assert own.stdout.startswith("app/clever_sync.py: fixed 3 (CLV301, CLV302, CLV310)\n")
    for name in ("clever_sync.py", "views.py"):
        assert (second / "app" / name).read_bytes() == (first / "app" / name).read_bytes()
    assert (first / "app" / "clever_sync.py").read_text() != V2
    assert _status(folder)["served"] == 1


def test_the_first_run_runs_itself_and_starts_the_daemon(folder, tmp_path):
    project = _project(tmp_path / "p")
    env = _env(folder)
    assert _status(folder) is None
    own = _cli(project, env, "check", "--no-cache", "app")
    first = _cli(project, env, "check", "--daemon", "--no-cache", "app")
    _same(first, own)
    deadline = time.monotonic() + 60
    while _status(folder) is None:
        assert time.monotonic() < deadline, "no daemon started"
        time.sleep(0.1)
    assert _status(folder)["served"] == 0  # the first run ran in its own process
    _same(_cli(project, env, "check", "--daemon", "--no-cache", "app"), own)
    assert _status(folder)["served"] == 1


def test_never_on_ci(folder, tmp_path):
    project = _project(tmp_path / "p")
    _start(folder)
    ci = _cli(project, _env(folder, CI="true"), "check", "--daemon", "--no-cache", "app")
    assert ci.returncode == 1 and len(_headlines(ci.stdout)) == 3
    assert _status(folder)["served"] == 0


def test_no_daemon_where_others_can_enter_the_directory(tmp_path):
    shared = tempfile.mkdtemp(prefix="cud-")
    try:
        os.chmod(shared, 0o755)
        project = _project(tmp_path / "p")
        env = _env(shared)
        run = _cli(project, env, "check", "--daemon", "--no-cache", "app")
        assert run.returncode == 1 and len(_headlines(run.stdout)) == 3  # ran in its own process
        time.sleep(0.5)
        assert os.listdir(shared) == []  # and started nothing
        refused = _cli("/", env, "daemon", "start")
        assert refused.returncode == 2
        assert refused.stderr == (
            "clever-upgrade: error: no private directory for the daemon's sockets (see CLEVER_UPGRADE_DAEMON_DIR)\n"
        )
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_status_and_stop(folder):
    env = _env(folder)
    none = _cli("/", env, "daemon", "status")
    assert (none.returncode, none.stdout) == (1, "no daemon serves this installation\n")
    status = _start(folder)
    again = _cli("/", env, "daemon", "start")  # running already: the same one
    assert f"(pid {status['pid']})" in again.stdout
    listed = _cli("/", env, "daemon", "status")
    assert listed.returncode == 0
    assert listed.stdout.startswith(f"pid {status['pid']}: clever-upgrade ")
    assert listed.stdout.rstrip().endswith("[this installation]")
    stopped = _cli("/", env, "daemon", "stop")
    assert stopped.stdout == "stopped 1 daemon\n"
    assert _status(folder) is None
    assert not any(name.endswith(".sock") for name in os.listdir(folder))


def test_it_ends_when_idle(folder):
    status = _start(folder, "--idle-timeout", "0.5")
    deadline = time.monotonic() + 30
    while _status(folder) is not None:
        assert time.monotonic() < deadline, "the daemon did not end when idle"
        time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        for _ in range(100):  # its parent (init) reaps it
            os.kill(status["pid"], 0)
            time.sleep(0.1)
    assert not any(name.endswith(".sock") for name in os.listdir(folder))


def test_ctrl_c_in_the_client_interrupts_the_run_in_the_daemon(folder, tmp_path):
    _start(folder)
    client = subprocess.Popen(
        [sys.executable, "-m", "linter", "check", "--daemon", "--no-cache", "-"],
        cwd=tmp_path,
        env=_env(folder),
        stdin=subprocess.PIPE,  # never written: the run waits on it
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # SIGINT at its default, whatever the suite inherited: a suite started in the background
        # (`cmd &`) ignores it, Python then keeps ignoring it, and the interrupt never came
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while (_status(folder) or {}).get("served") != 1:
            assert time.monotonic() < deadline, "the run never reached the daemon"
            time.sleep(0.05)
        time.sleep(0.3)  # the copy is reading standard input
        client.send_signal(signal.SIGINT)
        client.wait(timeout=60)  # standard input stays open: only the interrupt ends the run
        err = client.stderr.read()
    finally:
        client.kill()
        for stream in (client.stdin, client.stdout, client.stderr):
            stream.close()
    assert client.returncode == 130
    assert err.decode() == "clever-upgrade: interrupted\n"


def test_a_run_that_dies_in_the_daemon_is_an_error_not_a_second_run(folder, tmp_path):
    """A copy killed before it answers (out of memory, say): the client says so and exits 2,
    and does not run the command again (it may have written files)."""
    script = (
        "import os, sys\n"
        "from linter.daemon import client, server\n"
        "server.serve(lambda argv, prog: os._exit(9), client.address(sys.argv[1]), warm=lambda: None, idle=30)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script, folder], env=_env(folder))
    try:
        deadline = time.monotonic() + 60
        while _status(folder) is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        project = _project(tmp_path / "p")
        died = _cli(project, _env(folder), "fix", "--daemon", "--unsafe-fixes", "--no-cache", "app")
        assert died.returncode == 2
        assert died.stderr == "clever-upgrade: error: the daemon's run ended without an exit status\n"
        assert (project / "app" / "clever_sync.py").read_text() == V2  # not run a second time here
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_which_command_lines_go_to_the_daemon(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert daemon.wanted(["check", "--daemon", "a.py"])
    assert daemon.wanted(["fix", "a.py", "--daemon"])
    assert daemon.wanted(["checklist", "--daemon"])
    assert not daemon.wanted(["check", "a.py"])
    assert not daemon.wanted(["rules", "--daemon"])  # rules has no such option: click says so
    assert not daemon.wanted(["check", "--", "--daemon"])  # a file named --daemon
    monkeypatch.setenv("CI", "false")
    assert daemon.wanted(["check", "--daemon", "a.py"])
    monkeypatch.setenv("CI", "true")
    assert not daemon.wanted(["check", "--daemon", "a.py"])


def test_a_changed_installation_gets_another_daemon(tmp_path):
    package = tmp_path / "site" / "pkg"
    package.mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    (package / "notes.txt").write_text("not code\n")
    before = daemon.address("/run", str(package))
    (package / "notes.txt").write_text("changed, not code\n")
    assert daemon.address("/run", str(package)) == before
    (package / "a.py").write_text("x = 2\n")
    after = daemon.address("/run", str(package))
    assert after != before and after.startswith("/run/") and after.endswith(".sock")
    os.utime(tmp_path / "site", ns=(0, 0))  # something installed beside it (a new LibCST)
    assert daemon.address("/run", str(package)) != after
    assert daemon.address("/run") != before  # the real package: another directory
