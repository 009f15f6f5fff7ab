"""`clever-upgrade trace`: real programs run through the interceptor, every Clever request
recorded with the line of the user's code that made it, read against the catalog, and the exit
status of the gate. No network: the fake API answers inside the patched clients, or a local
server stands in for a configured Clever host."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("requests", reason="the traced programs use requests (in the test extra)")
httpx = pytest.importorskip("httpx", reason="the traced programs use httpx (in the test extra)")

# A sync job that builds its URLs at run time: from an environment variable, a role picked from
# a dict, a "/".join, a helper; through requests, urllib, httpx (sync and async) and a child
# process. Each request's line carries a marker comment that the tests look up.
SYNC = """\
import asyncio
import os
import subprocess
import sys
import urllib.error
import urllib.request

import httpx
import requests

AUTH = {"Authorization": "Bearer district-token"}
BASE = os.environ.get("CLEVER_BASE", "https://api.clever.com")
VERSION = os.environ["CLEVER_VERSION"]
ROLES = {"teacher": "teachers", "student": "students"}


def with_requests():
    return requests.get(BASE + os.environ["CLEVER_PATH"], headers=AUTH, timeout=5).status_code  # @requests


def with_urllib(role):
    request = urllib.request.Request("/".join([BASE, VERSION, ROLES[role]]), headers=AUTH)
    try:
        return urllib.request.urlopen(request, timeout=5).status  # @urllib
    except urllib.error.HTTPError as error:
        return error.code


def with_httpx(role, record_id):
    return httpx.get(f"{BASE}/{VERSION}/{ROLES[role]}/{record_id}", headers=AUTH).status_code  # @httpx


async def with_async_httpx(section):
    async with httpx.AsyncClient() as client:
        response = await client.get(BASE + "/" + VERSION + "/sections/" + section + "/students", headers=AUTH)  # @async
        return response.status_code


def main():
    statuses = [with_requests(), with_urllib("teacher"), with_httpx("student", "st1")]
    statuses.append(asyncio.run(with_async_httpx("sec1")))
    child = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "child.py")])  # @subprocess
    print(statuses, child.returncode)


if __name__ == "__main__":
    main()
"""

CHILD = """\
import os

import requests

path = "/".join(["", os.environ["CLEVER_VERSION"], "school_admins"])
requests.get("https://api.clever.com" + path, headers={"Authorization": "Bearer district-token"}, timeout=5)  # @child
"""

# The same job migrated: v3.1 paths only.
SYNC_V3 = """\
import asyncio
import os
import urllib.request

import httpx
import requests

AUTH = {"Authorization": "Bearer district-token"}
BASE = "https://api.clever.com/v3.1"


async def section_students():
    async with httpx.AsyncClient() as client:
        response = await client.get(BASE + "/sections/sec1/users", params={"role": "student"}, headers=AUTH)
        return response.status_code


statuses = [
    requests.get(BASE + "/users", params={"role": "teacher"}, headers=AUTH).status_code,
    urllib.request.urlopen(urllib.request.Request(BASE + "/users/u-t1/sections", headers=AUTH)).status,
    httpx.get(BASE + "/users/st1", headers=AUTH).status_code,
    asyncio.run(section_students()),
]
print(statuses)
"""


def write(root: Path, files: dict) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return root


def line_of(root: Path, name: str, marker: str) -> int:
    lines = (root / name).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.rstrip().endswith(f"# {marker}"))


def trace(root: Path, *args: str, env: dict = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linter", "trace", *args],
        cwd=root,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def traced_json(root: Path, fake: str, *command: str, env: dict = None):
    run = trace(root, "--fake-api", fake, "--format", "json", "-o", "trace.json", "--", *command, env=env)
    return run, json.loads((root / "trace.json").read_text())


def by_v2(data: dict) -> dict:
    return {r["v2"] or r["v3"]: r for r in data["requests"]}


V2_ENV = {"CLEVER_VERSION": "v2.1", "CLEVER_PATH": "/v2.1/teachers/t1/sections"}
V3_VERSION_ENV = {"CLEVER_VERSION": "v3.1", "CLEVER_PATH": "/v3.1/teachers/t1/sections"}


@pytest.fixture(scope="module")
def v2_run(tmp_path_factory):
    root = write(tmp_path_factory.mktemp("sync"), {"sync.py": SYNC, "child.py": CHILD})
    run, data = traced_json(root, "v2.1", sys.executable, "sync.py", env=V2_ENV)
    return root, run, data


def test_every_request_is_recorded_with_its_call_site_and_v3_form(v2_run):
    root, run, data = v2_run
    assert run.returncode == 1, run.stderr  # the gate: v2 requests were made
    assert "[200, 200, 200, 200] 0" in run.stdout  # the fake answered every v2 path, as v2.1 does
    got = {
        key: (r["method"], r["v3"], r["statuses"], [(Path(s["path"]).name, s["line"]) for s in r["sites"]])
        for key, r in by_v2(data).items()
    }

    def site(name, marker):
        return [(name, line_of(root, name, marker))]

    ok = {"200": 1}
    assert got == {
        "/v2.1/teachers/{id}/sections": ("GET", "/v3.1/users/{id}/sections", ok, site("sync.py", "@requests")),
        "/v2.1/teachers": ("GET", "/v3.1/users?role=teacher", ok, site("sync.py", "@urllib")),
        "/v2.1/students/{id}": ("GET", "/v3.1/users/{id}", ok, site("sync.py", "@httpx")),
        "/v2.1/sections/{id}/students": (
            "GET",
            "/v3.1/sections/{id}/users?role=student",
            ok,
            site("sync.py", "@async"),
        ),
        "/v2.1/school_admins": ("GET", "/v3.1/users?role=staff", ok, site("child.py", "@child")),
    }
    libraries = {r["v2"]: r["answered"] for r in data["requests"]}
    assert all(answered == {"fake": 1} for answered in libraries.values())
    assert data["summary"]["v2_requests"] == 5 and data["returncode"] == 0


def test_the_stack_names_every_user_file_and_no_library(v2_run):
    root, _, data = v2_run
    stacks = [stack for r in data["requests"] for stack in r["stacks"]]
    assert all(Path(p).name in ("sync.py", "child.py") for stack in stacks for p in stack)


def test_text_report_says_what_to_move_and_what_check_missed(tmp_path):
    root = write(tmp_path, {"sync.py": SYNC, "child.py": CHILD})
    run = trace(root, "--fake-api", "v2.1", "--", sys.executable, "sync.py", env=V2_ENV)
    assert run.returncode == 1
    report = run.stdout[run.stdout.index("clever-upgrade trace:") :]
    assert "GET /v2.1/teachers/{id}/sections -> /v3.1/users/{id}/sections  [1 request(s): 200 x1]" in report
    assert f"    sync.py:{line_of(root, 'sync.py', '@requests')}" in report
    # the path comes from the environment: check cannot see it, and says so
    block = report.split("GET /v2.1/teachers/{id}/sections")[1].split("\n\n")[0]
    assert "not found by check" in block
    assert report.rstrip().endswith("Exit 1: the code still calls Clever v2.")


def test_the_v3_fake_answers_v3_paths_and_refuses_v2_role_paths(tmp_path):
    root = write(tmp_path, {"sync.py": SYNC, "child.py": CHILD, "v3.py": SYNC_V3})
    run, data = traced_json(root, "v3.1", sys.executable, "v3.py")
    assert run.returncode == 0, run.stdout + run.stderr  # only v3.1 requests, and the command succeeded
    assert "[200, 200, 200, 200]" in run.stdout
    assert sorted(r["v3"] for r in data["requests"]) == [
        "/v3.1/sections/{id}/users", "/v3.1/users", "/v3.1/users/{id}", "/v3.1/users/{id}/sections"
    ]  # fmt: skip
    assert all(r["v2"] is None and r["statuses"] == {"200": 1} for r in data["requests"])

    run, data = traced_json(root, "v3.1", sys.executable, "sync.py", env=V3_VERSION_ENV)
    assert run.returncode == 1  # v2 role paths, under v3.1
    assert "[404, 404, 404, 404] 0" in run.stdout
    statuses = {r["v2"]: r["statuses"] for r in data["requests"]}
    assert statuses == {
        "/v3.1/teachers/{id}/sections": {"404": 1},
        "/v3.1/teachers": {"404": 1},
        "/v3.1/students/{id}": {"404": 1},
        "/v3.1/sections/{id}/students": {"404": 1},
        "/v3.1/school_admins": {"404": 1},
    }


def test_the_exit_status_is_the_commands_when_nothing_is_v2(tmp_path):
    assert trace(tmp_path, "--", sys.executable, "-c", "import sys; sys.exit(3)").returncode == 3
    run = trace(tmp_path, "--", sys.executable, "-c", "print('no http here')")
    assert run.returncode == 0 and "no http here" in run.stdout
    assert "No Clever v1.x/v2.x request was recorded." in run.stdout


def test_a_command_that_cannot_start_is_a_usage_error(tmp_path):
    run = trace(tmp_path, "--", "no-such-program-here")
    assert run.returncode == 2
    assert run.stderr.strip() == "clever-upgrade: error: cannot run 'no-such-program-here': No such file or directory"
    assert trace(tmp_path).returncode == 2  # no COMMAND


def test_without_the_fake_requests_go_where_they_were_going(tmp_path):
    """--fake-api off: the program talks to the real server (here a local one, configured as a
    Clever host), unchanged; the requests are recorded as having reached the network."""
    from linter.runtime.fake_api import FakeClever, serve

    server, base, app = serve(FakeClever())
    try:
        (tmp_path / "pyproject.toml").write_text('[tool.clever-upgrade]\nclever-hosts = ["127.0.0.1"]\n')
        write(tmp_path, {"sync.py": SYNC, "child.py": CHILD})
        env = {**V2_ENV, "CLEVER_BASE": base}
        run, data = traced_json(tmp_path, "off", sys.executable, "sync.py", env=env)
    finally:
        server.shutdown()
        server.server_close()
    assert "[200, 200, 200, 200]" in run.stdout
    assert len(app.requests) == 4  # the child asks api.clever.com, which is not reachable here
    local = [r for r in data["requests"] if r["url"].startswith(base)]
    assert len(local) == 4 and all(r["answered"] == {"network": 1} for r in local)


def test_mocked_requests_are_recorded_as_mocked(tmp_path):
    pytest.importorskip("responses", reason="the test mocks with responses (in the test extra)")
    script = textwrap.dedent(
        """\
        import requests
        import responses

        with responses.RequestsMock() as mock:
            mock.get("https://api.clever.com/v2.1/teachers", json={"data": [], "links": []})
            print(requests.get("https://api.clever.com/v2.1/teachers").status_code)  # @mocked
        """
    )
    write(tmp_path, {"mocked.py": script})
    run, data = traced_json(tmp_path, "v3.1", sys.executable, "mocked.py")
    assert run.returncode == 1 and "200" in run.stdout  # the mock answered, not the v3.1 fake
    (request,) = data["requests"]
    assert request["v2"] == "/v2.1/teachers" and request["answered"] == {"mock": 1} and request["mocked"] == 1
    assert request["sites"] == [
        {"path": str((tmp_path / "mocked.py").resolve()), "line": line_of(tmp_path, "mocked.py", "@mocked")}
    ]


def test_other_hosts_are_neither_recorded_nor_changed(tmp_path):
    from linter.runtime.fake_api import FakeClever, serve

    server, base, app = serve(FakeClever())
    try:
        auth = "{'Authorization': 'Bearer t'}"
        script = f"import requests; print(requests.get('{base}/v2.1/teachers', headers={auth}).status_code)"
        run, data = traced_json(tmp_path, "v3.1", sys.executable, "-c", script)
    finally:
        server.shutdown()
        server.server_close()
    assert run.returncode == 0 and run.stdout.strip() == "200"  # not a Clever host: not answered by the v3.1 fake
    assert data["requests"] == [] and len(app.requests) == 1


def test_a_sitecustomize_of_the_users_own_still_runs(tmp_path):
    write(tmp_path, {"own/sitecustomize.py": "import os\nos.environ['OWN_SITE'] = 'loaded'\n"})
    run = trace(
        tmp_path,
        "--",
        sys.executable,
        "-c",
        "import os; print(os.environ.get('OWN_SITE'))",
        env={"PYTHONPATH": str(tmp_path / "own")},
    )
    assert run.returncode == 0 and run.stdout.splitlines()[0] == "loaded"


def test_check_with_the_trace_reports_what_only_the_run_saw(v2_run, tmp_path):
    from tests.helpers import run_cli

    root, _, _ = v2_run
    result = run_cli(root, "check", "--trace", "trace.json", "--select", "CLV7", "--format", "json", ".")
    found = [(f["path"], f["line"], f["code"], f["v2"], f["v3"]) for f in json.loads(result.output)["findings"]]
    assert found == [
        (
            "sync.py",
            line_of(root, "sync.py", "@requests"),
            "CLV701",
            "/v2.1/teachers/{id}/sections",
            "/v3.1/users/{id}/sections",
        )
    ]
    checklist = run_cli(root, "checklist", "--trace", "trace.json", "--select", "CLV7", ".")
    assert "- [ ] **3. Update your User Endpoints**: 1 finding" in checklist.output
    assert f"- `sync.py:{line_of(root, 'sync.py', '@requests')}` CLV701 runtime-only: GET" in checklist.output
    assert "| `/teachers/{id}/sections` | 1 | `/users/{id}/sections` | 0 |" in checklist.output  # the inventory

    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    result = run_cli(root, "check", "--trace", str(bad), ".")
    assert result.exit_code == 2 and result.output.strip().endswith(
        "not a trace file of `clever-upgrade trace --format json`"
    )


def test_http_client_and_aiohttp_directly(tmp_path):
    aiohttp = pytest.importorskip("aiohttp", reason="aiohttp is in the test extra")
    del aiohttp
    script = textwrap.dedent(
        """\
        import asyncio
        import http.client

        import aiohttp

        connection = http.client.HTTPSConnection("api.clever.com")
        connection.request("GET", "/v2.1/students", headers={"Authorization": "Bearer t"})  # @http.client
        response = connection.getresponse()
        print(response.status, len(response.read()) > 0)


        async def main():
            async with aiohttp.ClientSession(headers={"Authorization": "Bearer t"}) as session:
                async with session.get("https://api.clever.com/v3.1/users/st1") as r:  # @aiohttp
                    print(r.status, (await r.json())["data"]["id"])


        asyncio.run(main())
        """
    )
    write(tmp_path, {"direct.py": script})
    run, data = traced_json(tmp_path, "v3.1", sys.executable, "direct.py")
    assert run.stdout.splitlines() == ["404 True", "200 st1"]  # /v2.1 is not served by the v3.1 fake
    sites = {r["path"]: (r["statuses"], r["answered"], [s["line"] for s in r["sites"]]) for r in data["requests"]}
    assert sites == {
        "/students": ({"404": 1}, {"fake": 1}, [line_of(tmp_path, "direct.py", "@http.client")]),
        "/users/{id}": ({"200": 1}, {"fake": 1}, [line_of(tmp_path, "direct.py", "@aiohttp")]),
    }
    assert run.returncode == 1  # the v2.1 request


def test_ctrl_c_reaches_the_command_and_ends_with_130(tmp_path):
    import signal

    script = (
        "import time\ntry:\n    print('ready', flush=True)\n    time.sleep(60)\n"
        "except KeyboardInterrupt:\n    print('interrupted', flush=True)\n"
    )
    write(tmp_path, {"slow.py": script})
    process = subprocess.Popen(
        [sys.executable, "-m", "linter", "trace", "--", sys.executable, "slow.py"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
        # as from a terminal: a test run started in the background (`cmd &` in a script)
        # ignores SIGINT, and trace and COMMAND would inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # both interpreters are up and COMMAND waits in its try block
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 130
    assert out.startswith("interrupted")  # COMMAND got the Ctrl-C


def test_the_fake_answers_from_the_users_roster(tmp_path):
    (tmp_path / "roster.yaml").write_text(
        "teachers:\n  - {id: u-9, legacy_id: t-9, name: {first: Ida, last: Noor}}\ntokens: {sync-token: null}\n"
    )
    script = (
        "import requests\n"
        "URL = 'https://api.clever.com/v3.1/users'\n"
        "r = requests.get(URL + '?role=teacher', headers={'Authorization': 'Bearer sync-token'})\n"
        "print([item['data']['id'] for item in r.json()['data']])\n"
        "print(requests.get(URL, headers={'Authorization': 'Bearer other'}).status_code)\n"
    )
    write(tmp_path, {"roster_app.py": script})
    run = trace(tmp_path, "--fake-api", "v3.1", "--roster", "roster.yaml", "--", sys.executable, "roster_app.py")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[:2] == ["['u-9']", "401"]  # the roster names its tokens: only those
    refused = trace(tmp_path, "--roster", "roster.yaml", "--", sys.executable, "roster_app.py")
    assert refused.returncode == 2 and "give --fake-api v2.1 or v3.1 too" in refused.stderr
    (tmp_path / "bad.yaml").write_text("pupils: []\n")
    bad = trace(tmp_path, "--fake-api", "v3.1", "--roster", "bad.yaml", "--", sys.executable, "roster_app.py")
    assert bad.returncode == 2 and "bad.yaml: unknown key 'pupils'" in bad.stderr
