"""The fake Clever API (linter.runtime.fake_api): the local Clever of `trace --fake-api`, the
`clever_api` fixture, `clever-upgrade fake-api` and the end-to-end tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from linter.runtime.fake_api import serve


@pytest.fixture
def api():
    server, base, app = serve()
    yield base, app
    server.shutdown()
    server.server_close()


def get(base: str, path: str, token: str = "district-token"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None


def ids(body) -> list:
    return [item["data"]["id"] for item in body["data"]]


def test_v2_and_v3_views_of_one_roster(api):
    base, _ = api
    assert ids(get(base, "/v2.1/teachers")[1]) == ["t1", "t2"]
    assert ids(get(base, "/v2.1/school_admins")[1]) == ["sa1"]
    assert ids(get(base, "/v3.1/users?role=teacher")[1]) == ["u-t1", "u-gh"]
    assert ids(get(base, "/v3.1/users?role=staff")[1]) == ["u-gh"]  # the same person as t2 and sa1
    assert ids(get(base, "/v2.1/teachers/t1/sections")[1]) == ["sec1"]
    assert ids(get(base, "/v3.1/users/u-t1/sections")[1]) == ["sec1"]
    assert ids(get(base, "/v3.1/sections/sec1/users?role=student")[1]) == ["st1", "st2"]
    assert get(base, "/v2.1/sections/sec1")[1]["data"]["teacher"] == "t1"
    assert get(base, "/v3.1/sections/sec1")[1]["data"]["teacher"] == "u-t1"
    assert ids(get(base, "/v2.1/school_admins/sa1/schools")[1]) == ["s1", "s2"]
    assert ids(get(base, "/v3.1/users/u-gh/schools")[1]) == ["s1", "s2"]  # staff s1, s2 and teacher s2
    assert ids(get(base, "/v2.1/students/st1/contacts")[1]) == ["c1"]
    assert ids(get(base, "/v3.1/users/st1/mycontacts")[1]) == ["u-c1"]


def test_a_v2_path_on_v3_fails_like_the_real_api(api):
    base, _ = api
    assert get(base, "/v3.1/teachers")[0] == 404
    assert get(base, "/v3.1/students/st1")[0] == 404
    assert get(base, "/v2.1/users")[0] == 404
    assert get(base, "/v2.1/teachers/u-t1")[0] == 404  # a v3 ID on a v2 path


def test_paging_follows_versioned_next_links(api):
    base, _ = api
    status, page = get(base, "/v3.1/users?role=student&limit=1")
    assert status == 200 and ids(page) == ["st1"]
    next_uri = [link["uri"] for link in page["links"] if link["rel"] == "next"][0]
    assert next_uri == "/v3.1/users?role=student&limit=1&starting_after=st1"
    assert ids(get(base, next_uri)[1]) == ["st2"]


def test_events_of_both_shapes(api):
    base, _ = api
    v2 = get(base, "/v2.1/events?record_type=students")[1]
    assert [e["data"]["type"] for e in v2["data"]] == ["students.created"]
    v3 = get(base, "/v3.1/events?record_type=users")[1]
    assert [(e["data"]["type"], sorted(e["data"]["data"]["object"]["roles"])) for e in v3["data"]] == [
        ("users.created", ["student"]),
        ("users.updated", ["teacher"]),
    ]
    assert get(base, "/v3.1/events?record_type=students")[1]["data"] == []


def test_me_and_auth(api):
    base, app = api
    assert get(base, "/v2.1/me", "teacher-token")[1]["data"] == {"id": "t1", "district": "d1", "type": "teacher"}
    assert get(base, "/v3.1/me", "teacher-token")[1]["data"] == {"id": "u-t1", "district": "d1", "type": "user"}
    assert get(base, "/v3.1/users", "")[0] == 401  # no bearer token
    assert get(base, "/v3.1/users", "any-other-token")[0] == 200  # taken as a district app's token
    assert get(base, "/v3.1/me", "any-other-token")[1]["data"] == {"id": "d1", "type": "district"}
    assert ("GET", "/v3.1/users") in app.requests


ROSTER_YAML = """\
district: {id: d9, name: North District}
schools: [{id: sch1, name: North High}]
students:
  - {id: s-1, name: {first: Ann, last: Lee}, school: sch1}
teachers:
  - {id: u-7, legacy_id: tch-7, name: {first: Bo, last: Chen}, school: sch1}
staff:
  - {id: u-7, legacy_id: adm-7, schools: [sch1]}
sections:
  - {id: sec-9, school: sch1, name: Algebra, teachers: [u-7], students: [s-1]}
events:
  - {user: u-7, action: created}
tokens: {secret-district: null, bo-token: u-7}
"""


def test_a_users_roster_file_one_person_in_two_roles(tmp_path):
    from linter.runtime.fake_api import FakeClever, Roster

    path = tmp_path / "roster.yaml"
    path.write_text(ROSTER_YAML)
    app = FakeClever(("v2.1", "v3.1"), Roster.load(str(path)))

    def ids(target, token="secret-district"):
        status, body = app.respond("GET", target, {"Authorization": f"Bearer {token}"})
        return status, [item["data"]["id"] for item in body["data"]] if status == 200 else body

    assert ids("/v3.1/users?role=teacher") == (200, ["u-7"])
    assert ids("/v3.1/users?role=staff") == (200, ["u-7"])  # one user, two roles
    assert ids("/v2.1/teachers") == (200, ["tch-7"]) and ids("/v2.1/school_admins") == (200, ["adm-7"])
    assert ids("/v2.1/teachers/tch-7/sections") == (200, ["sec-9"])
    assert ids("/v3.1/users/u-7/sections") == (200, ["sec-9"])
    assert (
        app.respond("GET", "/v2.1/events", {"Authorization": "Bearer secret-district"})[1]["data"][0]["data"]["type"]
        == "teachers.created"
    )
    assert app.respond("GET", "/v3.1/me", {"Authorization": "Bearer bo-token"})[1]["data"]["id"] == "u-7"
    assert ids("/v3.1/users", "any-other-token")[0] == 401  # the roster names its tokens: only those
    (tmp_path / "roster.json").write_text(json.dumps({"students": [{"id": "x"}]}))
    assert [u["id"] for u in Roster.load(str(tmp_path / "roster.json")).users] == ["x"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("pupils: []", "unknown key 'pupils'"),
        ("sections: [{id: s, teachers: [nobody]}]", "section s names an unknown user 'nobody'"),
        ("students: [{name: no id}]", "not a roster (KeyError: 'id')"),
        ("[1, 2]", "a roster is a mapping"),
        ("students: [", "not valid YAML"),
    ],
)
def test_a_bad_roster_is_one_clear_error(tmp_path, text, message):
    from linter.runtime.fake_api import Roster, RosterError

    path = tmp_path / "roster.yaml"
    path.write_text(text)
    with pytest.raises(RosterError) as error:
        Roster.load(str(path))
    assert str(error.value).startswith(str(path)) and message in str(error.value)


def test_the_fake_api_command_serves_a_port(tmp_path):
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "linter", "fake-api", "--version", "v3.1", "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = server.stderr.readline()
        assert first.startswith(f"Fake Clever API v3.0, v3.1 on http://127.0.0.1:{port}")
        base = f"http://127.0.0.1:{port}"
        assert get(base, "/v3.1/users?role=teacher")[0] == 200
        assert get(base, "/v2.1/teachers")[0] == 404  # v2 is not served
        deadline = time.time() + 10
        logged = server.stderr.readline()
        assert time.time() < deadline and logged.strip() == "200 GET /v3.1/users?role=teacher"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_fake_api_command_refuses_a_bad_roster(tmp_path):
    from tests.helpers import run_cli

    (tmp_path / "r.json").write_text("{")
    result = run_cli(tmp_path, "fake-api", "--roster", "r.json")
    assert result.exit_code == 2 and "r.json: not valid JSON" in result.output


# -- the fake serves the catalog -------------------------------------------------------------------------------
def _catalog_roster():
    """The default district with a district admin, so that every role's endpoints have a record."""
    import copy

    from linter.runtime.fake_api import DEFAULT_ROSTER, Roster

    data = copy.deepcopy(DEFAULT_ROSTER)
    data["district_admins"] = [{"id": "u-da1", "legacy_id": "da1", "name": {"first": "Dee", "last": "Admin"}}]
    return Roster(data)


# a record of each collection, as a v2 and as a v3 path names it
V2_IDS = {
    "students": "st1",
    "teachers": "t1",
    "school_admins": "sa1",
    "district_admins": "da1",
    "contacts": "c1",
    "schools": "s1",
    "sections": "sec1",
    "courses": "co1",
    "terms": "tm1",
    "districts": "d1",
    "events": "e1",
}
V3_IDS = {**V2_IDS, "users": "u-t1"}


def _filled(path: str, ids) -> str:
    segments = path.split("/")
    return "/".join(ids[segments[i - 1]] if s == "{id}" else s for i, s in enumerate(segments))


def _v3_subject(row) -> str:
    """A v3 user who holds the role the v2 row was about (a v2 teacher is u-t1, a contact u-c1, ...)."""
    return {"student": "st1", "contact": "u-c1", "staff": "u-gh", "district_admin": "u-da1"}.get(row.role, "u-t1")


def test_every_catalog_endpoint_is_served_by_the_fake_in_both_versions():
    from linter import catalog
    from linter.catalog import EndpointKind
    from linter.runtime.fake_api import FakeClever

    app = FakeClever(roster=_catalog_roster())
    unserved = []
    for row in catalog.endpoints():
        if row.kind is EndpointKind.V1:  # v1 only: gone from v2.x, so the fake answers 404
            status, _ = app.respond("GET", "/v2.1" + _filled(row.v2, V2_IDS), {"Authorization": "Bearer x"})
            if status != 404:
                unserved.append(f"v2.1{row.v2} answered {status}, as if v2.x still had it")
            continue
        status, _ = app.respond("GET", "/v2.1" + _filled(row.v2, V2_IDS), {"Authorization": "Bearer x"})
        if status != 200:
            unserved.append(f"v2.1{row.v2}: {status}")
        if row.v3 is not None:
            ids = dict(V3_IDS, users=_v3_subject(row))
            status, _ = app.respond("GET", "/v3.1" + _filled(row.v3, ids), {"Authorization": "Bearer x"})
            if status != 200:
                unserved.append(f"v3.1{row.v3}: {status}")
    assert unserved == []


def test_every_route_of_the_fake_is_a_catalog_endpoint():
    from linter import catalog
    from linter.catalog import EndpointKind
    from linter.runtime.fake_api import FakeClever

    rows = [row for row in catalog.endpoints() if row.kind is not EndpointKind.V1]
    paths = ["/v2.1" + _filled(row.v2, V2_IDS) for row in rows]
    paths += ["/v3.1" + _filled(row.v3.split("?")[0], V3_IDS) for row in rows if row.v3]
    routes = FakeClever()._routes
    assert len(routes) > 30
    assert [pattern.pattern for pattern, _ in routes if not any(pattern.match(p) for p in paths)] == []


def test_the_new_routes_answer_with_the_roster():
    from linter.runtime.fake_api import FakeClever

    app = FakeClever(roster=_catalog_roster())

    def data(path):
        status, body = app.respond("GET", path, {"Authorization": "Bearer x"})
        assert status == 200, path
        inner = body["data"]
        return [item["data"]["id"] for item in inner] if isinstance(inner, list) else inner["id"]

    assert data("/v2.1/students/st2/teachers") == ["t1", "t2"]
    assert data("/v3.1/users/st2/myteachers") == ["u-t1", "u-gh"]
    assert data("/v2.1/teachers/t1/students") == ["st1", "st2"]
    assert data("/v2.1/contacts/c1/students") == ["st1"]
    assert data("/v2.1/schools/s1/teachers") == ["t1"]
    assert data("/v3.1/schools/s1/users?role=teacher") == ["u-t1"]
    assert data("/v2.1/sections/sec2/teacher") == "t2"
    assert data("/v3.1/sections/sec1/course") == "co1"
    assert data("/v2.1/terms/tm1/sections") == ["sec1", "sec2"]
    assert data("/v2.1/teachers/t2/school") == "s2"
    assert data("/v2.1/district_admins/da1/district") == "d1"
    assert data("/v3.1/events/e2") == "e2"
    status, _ = app.respond("GET", "/v2.1/courses/nope", {"Authorization": "Bearer x"})
    assert status == 404


def test_aiohttp_is_answered_by_the_fake_installed_now_not_an_earlier_one():
    """Found by the generated integrations (issue 28): the loopback server that answers aiohttp
    kept the first fake it was started with, so a second install (v3.1 after v2.1, as two
    `clever_api` calls or a run before and after `fix` make) was answered by the old one."""
    aiohttp = pytest.importorskip("aiohttp", reason="aiohttp is in the test extra")
    import asyncio

    from linter.runtime import fake_api, intercept

    async def status(url):
        async with aiohttp.ClientSession(headers={"Authorization": "Bearer t"}) as session:
            async with session.get(url) as response:
                return response.status

    seen = []
    for versions in (("v2.0", "v2.1"), ("v3.0", "v3.1")):
        intercept.install((), fake_api.FakeClever(versions, fake_api.Roster.default()), lambda record: None)
        try:
            seen.append(asyncio.run(status("https://api.clever.com/v3.1/users?role=teacher")))
        finally:
            intercept.uninstall()
    assert seen == [404, 200]
