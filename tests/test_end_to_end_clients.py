"""A fallback client and a URL-builder client end to end against the fake Clever API (no
network: it listens on 127.0.0.1 in this process). Before `fix`, every call succeeds on v2.1;
after `fix` alone, no call that succeeded before fails (on an API that serves both versions,
as Clever does during the migration); after `fix` and the person's step that `fix` names, every
call succeeds on a v3.1-only API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli

pytest.importorskip("requests", reason="the clients under test use requests (in the test extra)")

PEOPLE = '''\
import os

import requests

BASE = os.environ.get("CLEVER_HOST", "https://api.clever.com") + "/v2.1"
HEADERS = {"Authorization": "Bearer district-token"}


def lookup(person_id):
    """A student, or else a teacher: the v2 way to find a person by ID."""
    found = requests.get(f"{BASE}/students/{person_id}", headers=HEADERS)
    if found.status_code == 404:
        found = requests.get(f"{BASE}/teachers/{person_id}", headers=HEADERS)
    return found.status_code
'''

PERSON_STEP = (
    """    found = requests.get(f"{BASE}/students/{person_id}", headers=HEADERS)
    if found.status_code == 404:
        found = requests.get(f"{BASE}/teachers/{person_id}", headers=HEADERS)
    return found.status_code""",
    """    found = requests.get(f"{BASE}/users/{person_id}", headers=HEADERS)
    return found.status_code""",
)

BUILDER = """\
import os

import requests


class Api:
    host = os.environ.get("CLEVER_HOST", "https://api.clever.com")

    @classmethod
    def get(cls, path):
        url = cls.host + "/v2.1" + path
        return requests.get(url, headers={"Authorization": "Bearer district-token"}).status_code


def sections():
    return Api.get("/sections")


def schools():
    return Api.get("/schools")


def students():
    return Api.get("/students")
"""

RUN = """\
import json
import sys

import builder
import people

print(json.dumps([people.lookup(sys.argv[1]), people.lookup(sys.argv[2]),
                  builder.sections(), builder.schools(), builder.students()]))
"""


def statuses(root: Path, host: str, student: str, teacher: str) -> list:
    env = dict(os.environ, CLEVER_HOST=host)
    done = subprocess.run(
        [sys.executable, "run.py", student, teacher], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_fallback_and_builder_clients(tmp_path, fake_api):
    project = tmp_path / "clients"
    project.mkdir()
    (project / "people.py").write_text(PEOPLE)
    (project / "builder.py").write_text(BUILDER)
    (project / "run.py").write_text(RUN)

    # before: everything works on v2.1 (the teacher is found by the fallback: t1 is no student)
    base, app = fake_api(("v2.1", "v3.1"))
    assert statuses(project, base, "st1", "t1") == [200, 200, 200, 200, 200]

    # fix alone: the fallback is one CLV602 finding and stays (so its base does); the builder's
    # own pin moves with its paths; nothing that worked breaks while both versions are served
    result = run_cli(tmp_path, "fix", "--unsafe-fixes", "clients")
    assert "CLV602" in result.output
    assert (project / "people.py").read_text() == PEOPLE
    assert '"/v3.1"' in (project / "builder.py").read_text()
    base, app = fake_api(("v2.1", "v3.1"))
    assert statuses(project, base, "st1", "t1") == [200, 200, 200, 200, 200]
    assert any(path.startswith("/v3.1/") for _, path in app.requests)

    # the person's step fix names: one /users/{id} lookup; then fix moves the base
    text = (project / "people.py").read_text()
    assert PERSON_STEP[0] in text
    (project / "people.py").write_text(text.replace(*PERSON_STEP))
    result = run_cli(tmp_path, "fix", "--unsafe-fixes", "clients")
    assert '+ "/v3.1"' in (project / "people.py").read_text()

    # after: every call is a v3.1 path that exists (with the teacher's v3 user ID)
    base, app = fake_api(("v3.1",))
    assert statuses(project, base, "st1", "u-t1") == [200, 200, 200, 200, 200]
    assert app.requests and all(path.startswith("/v3.1/") for _, path in app.requests)
