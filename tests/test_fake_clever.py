"""The fake Clever API used for end-to-end tests and demos (examples/fake_clever)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from examples.fake_clever import serve


@pytest.fixture
def api():
    server, base, app = serve()
    yield base, app
    server.shutdown()
    server.server_close()


def get(base: str, path: str, token: str = "district-token"):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
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
    assert get(base, "/v3.1/users", "wrong")[0] == 401
    assert ("GET", "/v3.1/users") in app.requests
