"""Step 5 (/me and its type) and step 6 (one role per user): v2 snippet in, finding out."""

from __future__ import annotations

import pytest

from tests.helpers import lint

ME = 'import requests\nME_URL = "https://api.clever.com/v3.1/me"\n'


def found(code, min_confidence="medium"):
    result = lint(ME + code, min_confidence=min_confidence)
    return [(f.code, f.span.line - 2, f.v2) for f in result.visible]


@pytest.mark.parametrize(
    "v2, v3, expected",
    [
        pytest.param(
            'me = requests.get(ME_URL).json()\nif me["type"] == "teacher":\n    pass',
            (
                "me = requests.get(ME_URL).json()\n"
                'user = requests.get("https://api.clever.com/v3.1/users/" + me["data"]["id"]).json()\n'
                'if "teacher" in user["data"]["roles"]:\n    pass'
            ),
            [("CLV502", 2, "/me type"), ("CLV503", 2, "type == 'teacher'")],
            id="top-level type",
        ),
        pytest.param(
            (
                'data = requests.get(ME_URL).json()["data"]\nkind = data.get("type")\n'
                'allowed = kind in {"school_admin", "district_admin"}'
            ),
            'data = requests.get(ME_URL).json()["data"]\nuid = data.get("id")',
            [
                ("CLV502", 2, "/me type"),
                ("CLV503", 3, "type == 'school_admin'"),
                ("CLV503", 3, "type == 'district_admin'"),
            ],
            id="get and set membership through a variable",
        ),
        pytest.param(
            (
                "def current_user(token):\n"
                '    return requests.get(ME_URL, headers={"Authorization": token}).json()["data"]\n'
                'def is_teacher(token):\n    return current_user(token)["type"] == "teacher"'
            ),
            (
                "def current_user(token):\n"
                '    return requests.get(ME_URL, headers={"Authorization": token}).json()["data"]\n'
                'def user_id(token):\n    return current_user(token)["id"]'
            ),
            [("CLV502", 4, "/me type"), ("CLV503", 4, "type == 'teacher'")],
            id="through a return",
        ),
        pytest.param(
            (
                'def login(session):\n    session["clever_user"] = requests.get(ME_URL).json()["data"]\n'
                'def dashboard(session):\n    if session["clever_user"]["type"] == "student":\n        pass'
            ),
            (
                'def login(session):\n    session["clever_user"] = requests.get(ME_URL).json()["data"]\n'
                'def dashboard(session):\n    if session["clever_user"]["id"]:\n        pass'
            ),
            [("CLV502", 4, "/me type"), ("CLV503", 4, "type == 'student'")],
            id="dict stored and compared in another function",
        ),
        pytest.param(
            (
                "class Auth:\n    def load(self):\n        self.me = requests.get(ME_URL).json()\n    def role(self):\n"
                '        return self.me["data"]["type"]'
            ),
            (
                "class Auth:\n    def load(self):\n        self.me = requests.get(ME_URL).json()\n"
                '    def user_id(self):\n        return self.me["data"]["id"]'
            ),
            [("CLV502", 5, "/me type")],
            id="kept on self",
        ),
        pytest.param(
            (
                'me = requests.get(ME_URL).json()["data"]\n'
                'url = "https://api.clever.com/v2.1/%ss/%s" % (me["type"], me["id"])'
            ),
            'me = requests.get(ME_URL).json()["data"]\nurl = "https://api.clever.com/v3.1/users/%s" % me["id"]',
            [("CLV310", 2, "/v2.1"), ("CLV502", 2, "/me type"), ("CLV504", 2, "https://api.clever.com/v2.1/{}s/{}")],
            id="path built with percent",
        ),
        pytest.param(
            'me = requests.get(ME_URL).json()["data"]\nuser_type = me["type"]\n'
            'path = "/" + user_type + "s/" + me["id"]',
            'me = requests.get(ME_URL).json()["data"]\npath = "/users/" + me["id"]',
            [("CLV502", 2, "/me type"), ("CLV504", 3, "/{}s/{}")],
            id="path built with plus",
        ),
        pytest.param(
            (
                'me = requests.get(ME_URL).json()["data"]\nif me["type"] == "teacher":\n    a()\n'
                'elif me["type"] == "school_admin":\n    b()'
            ),
            (
                'user = requests.get("https://api.clever.com/v3.1/users/x").json()["data"]\n'
                'if "teacher" in user["roles"]:\n    a()\nif "staff" in user["roles"]:\n    b()'
            ),
            [
                ("CLV502", 2, "/me type"),
                ("CLV503", 2, "type == 'teacher'"),
                ("CLV601", 2, None),
                ("CLV502", 4, "/me type"),
                ("CLV503", 4, "type == 'school_admin'"),
            ],
            id="if/elif chain over the role",
        ),
        pytest.param(
            'me = requests.get(ME_URL).json()["data"]\nAccount.create(clever_id=me["id"], role=me["type"])',
            'me = requests.get(ME_URL).json()["data"]\nAccount.create(clever_id=me["id"])',
            [("CLV502", 2, "/me type"), ("CLV601", 2, None)],
            id="role stored in one field",
        ),
        pytest.param(
            'ME = "https://api.clever.com/me"',
            'ME = "https://api.clever.com/v3.1/me"',
            [("CLV501", 1, "/me")],
            id="unversioned /me",
        ),
    ],
)
def test_identity(v2, v3, expected):
    assert sorted(found(v2), key=lambda f: (f[1], f[0])) == sorted(expected, key=lambda f: (f[1], f[0]))
    assert found(v3, "low") == []


@pytest.mark.parametrize(
    "code",
    [
        pytest.param('list(user["roles"])[0]', id="list of roles, first"),
        pytest.param('list(user["roles"].keys())[0]', id="list of keys, first"),
        pytest.param("next(iter(user.roles))", id="next of iter"),
        pytest.param("tuple(roles)[0]", id="a variable named roles"),
    ],
)
def test_first_role(code):
    assert found(f"role = {code}\n") == [("CLV601", 1, None)]


@pytest.mark.parametrize(
    "code, line",
    [
        pytest.param(
            'role_map = data.get("roles")\nkinds = list(role_map.keys())\nfirst = kinds[0]\n', 3, id="get, keys, index"
        ),
        pytest.param('role_map = data["roles"]\nfirst = next(iter(role_map))\n', 2, id="a roles map, next of iter"),
        pytest.param("granted = user.roles\nnames = sorted(granted)\nmain = names[0]\n", 3, id="an attribute, sorted"),
    ],
)
def test_first_role_through_the_names_it_is_bound_to(code, line):
    """The roles read in one statement and indexed in a later one, through names of any spelling
    (an ed-tech login does `user_types = list(role_dict.keys())` and tests `user_types[0]`)."""
    assert found("def login(data, user):\n" + "".join("    " + row + "\n" for row in code.splitlines())) == [
        ("CLV601", line + 1, None)
    ]


def test_a_first_item_of_a_list_bound_to_something_else_is_no_role():
    code = 'def f(data):\n    names = list(data.get("teams").keys())\n    return names[0]\n'
    assert found(code, "low") == []


@pytest.mark.parametrize(
    "code",
    [
        pytest.param('def f(obj):\n    return obj["type"] == "teacher"', id="type of the app's own objects"),
        pytest.param(
            'resp = requests.get("https://example.com/api/me").json()\nif resp["type"] == "teacher":\n    pass',
            id="another service's /me",
        ),
        pytest.param(
            'resp = requests.get("/me").json()\nif resp["type"] == "teacher":\n    pass',
            id="the app's own /me without Clever context",
        ),
        pytest.param('user = {"roles": ["a"]}\nrole = user["roles"][0]', id="indexing a list the app built"),
    ],
)
def test_identity_traps(code):
    assert lint(code + "\n", min_confidence="medium").visible == []
