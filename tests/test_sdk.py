"""Steps 1 and 3: the clever-python SDKs, however imported and used."""

from __future__ import annotations

import pytest

from linter import catalog
from tests.helpers import lint, lint_tree


def found(code, min_confidence="medium"):
    return [(f.code, f.span.line, f.confidence.value, f.v2, f.v3) for f in lint(code, min_confidence).visible]


@pytest.mark.parametrize(
    "code, expected",
    [
        pytest.param(
            "import clever\napi = clever.DataApi(clever.ApiClient(conf))\napi.get_students(limit=100)\n",
            [("CLV101", 2, "high", None, None), ("CLV320", 3, "high", "/v2.0/students", "/v3.1/users?role=student")],
            id="import clever",
        ),
        pytest.param(
            "from clever import DataApi\napi = DataApi(client)\napi.get_sections_for_teacher(tid)\n",
            [
                ("CLV101", 2, "high", None, None),
                ("CLV320", 3, "high", "/v2.0/teachers/{id}/sections", "/v3.1/users/{id}/sections"),
            ],
            id="from clever import DataApi",
        ),
        pytest.param(
            (
                "from clever.apis.data_api import DataApi as Api\napi = Api(client)\n"
                "api.get_teachers_for_student_with_http_info(sid)\n"
            ),
            [
                ("CLV101", 2, "high", None, None),
                ("CLV320", 3, "high", "/v2.0/students/{id}/teachers", "/v3.1/users/{id}/myteachers"),
            ],
            id="module path, alias, with_http_info twin",
        ),
        pytest.param(
            (
                "import clever as c\nclass Sync:\n    def __init__(self):\n"
                "        self.api = c.DataApi(c.ApiClient())\n    def run(self):\n"
                "        return self.api.get_school_admins()\n"
            ),
            [("CLV101", 4, "high", None, None), ("CLV320", 6, "high", "/v2.0/school_admins", "/v3.1/users?role=staff")],
            id="instance kept on self",
        ),
        pytest.param(
            "import clever\ndef sync(api):\n    return api.get_contacts_for_student(sid)\n",
            [("CLV320", 3, "medium", "/v2.0/students/{id}/contacts", "/v3.1/users/{id}/mycontacts")],
            id="unknown receiver in an SDK module",
        ),
        pytest.param(
            (
                "import clever\napi = clever.DataApi(x)\n"
                "FETCH = {'students': api.get_students, 'teachers': api.get_teachers}\nrun(api.get_district_admins)\n"
            ),
            [
                ("CLV101", 2, "high", None, None),
                ("CLV320", 3, "high", "/v2.0/students", "/v3.1/users?role=student"),
                ("CLV320", 3, "high", "/v2.0/teachers", "/v3.1/users?role=teacher"),
                ("CLV320", 4, "high", "/v2.0/district_admins", "/v3.1/users?role=district_admin"),
            ],
            id="bound methods in a dict and as an argument",
        ),
        pytest.param(
            (
                "from unittest import mock\n@mock.patch('clever.DataApi.get_teachers_for_section')\ndef test(m): ...\n"
                "mock.patch('clever.apis.data_api.DataApi.get_student')\n"
            ),
            [
                ("CLV320", 2, "high", "/v2.0/sections/{id}/teachers", "/v3.1/sections/{id}/users?role=teacher"),
                ("CLV320", 4, "high", "/v2.0/students/{id}", "/v3.1/users/{id}"),
            ],
            id="named in mock.patch strings",
        ),
        pytest.param(
            "import clever\napi = clever.DataApi(x)\napi.get_schools()\n",
            [("CLV101", 2, "high", None, None), ("CLV320", 3, "high", "/v2.0/schools", "/v3.1/schools")],
            id="unchanged path, still the v2 SDK",
        ),
        pytest.param(
            "import clever\nconf = clever.Configuration()\nconf.host = 'https://api.clever.com/v2.1'\n",
            [("CLV310", 3, "high", "/v2.1", "/v3.1")],
            id="Configuration host pinned",
        ),
        pytest.param(
            (
                "import clever\nclever.set_token(TOKEN)\nclever.api_base = 'https://api.clever.com'\n"
                "for s in clever.Student.iter():\n    clever.Section.retrieve(s.id)\n"
            ),
            [
                ("CLV321", 2, "high", None, None),
                ("CLV321", 3, "high", None, None),
                ("CLV321", 4, "high", "/v1.2/students", "/v3.1/users?role=student"),
                ("CLV321", 5, "high", "/v1.2/sections/{id}", "/v3.1/sections/{id}"),
            ],
            id="pre-2018 bindings",
        ),
    ],
)
def test_sdk(code, expected):
    assert found(code) == expected


def test_every_v2_sdk_method_is_known():
    methods = catalog.sdk_methods()
    assert len(methods) == 2 * 53  # 51 DataApi methods and 2 EventsApi methods, each with its twin
    for name in (
        "get_students_for_teacher",
        "get_district_for_school_admin",
        "get_events",
        "get_teacher_for_section_with_http_info",
    ):
        assert name in methods


def test_message_says_there_is_no_official_v3_sdk():
    message = lint("import clever\nclever.DataApi(x).get_teachers()\n").visible[-1].message
    assert message == (
        "v2 SDK method get_teachers calls /v2.0/teachers: v3.1 is /v3.1/users?role=teacher "
        "(get_users in a generated v3 client); no official v3 Python SDK exists: generate a "
        "client from Clever's v3.1 OpenAPI definition or call the API directly"
    )


def test_v3_code_gives_nothing():
    code = (
        "import requests\ns = requests.Session()\n"
        "s.get('https://api.clever.com/v3.1/users', params={'role': 'student'})\n"
    )
    assert found(code, "low") == []


def test_same_method_names_without_the_sdk_are_not_reported():
    assert found("class Repo:\n    def get_students(self): ...\nrepo.get_students()\n", "low") == []


def test_a_local_module_named_clever_is_not_the_sdk(tmp_path):
    result = lint_tree(
        tmp_path,
        {
            "clever.py": "def get_students():\n    return []\nclass Student:\n    pass\n",
            "app.py": "import clever\nclever.get_students()\nstudents = clever.Student.all()\nclever.set_token('x')\n",
        },
        min_confidence="low",
    )
    assert result.findings == []
