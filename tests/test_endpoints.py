"""Detection of role endpoints and version pins: exact findings, ranges and confidence."""

from __future__ import annotations

import pytest

from tests.helpers import codes, lint


def spans(result):
    return [(f.code, f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in result.visible]


def test_finding_points_at_the_role_segment_and_the_version():
    result = lint('requests.get("https://api.clever.com/v2.1/teachers/%s/sections" % tid)\n')
    #                             col 15 ^ version at 38, teachers at 43
    assert spans(result) == [("CLV310", 1, 38, 1, 42), ("CLV302", 1, 43, 1, 63)]
    message = {f.code: f.message for f in result.visible}["CLV302"]
    assert message == (
        "v2 role endpoint /v2.1/teachers/{id}/sections: use /v3.1/users/{id}/sections; "
        "the ID in this path must be the v3 user ID (teacher IDs change in v3; the old one "
        "is roles.teacher.legacy_id)"
    )


def test_pieces_in_different_literals_are_reported_where_they_are():
    result = lint(
        """
        BASE = "https://api.clever.com/v2.0"
        def sections(tid):
            return requests.get(
                BASE
                + "/teachers/"
                + tid
                + "/sections"
            )
        """
    )
    assert spans(result) == [("CLV310", 2, 32, 2, 36), ("CLV302", 6, 13, 6, 22)]
    assert codes(result)[1] == ("CLV302", "high", "/v2.0/teachers/{id}/sections", "/v3.1/users/{id}/sections")


def test_escaped_literal_is_reported_as_a_whole():
    result = lint('URL = "https://api.clever.com/v2.1/\\x73tudents"\n')
    assert spans(result) == [("CLV301", 1, 7, 1, 48), ("CLV310", 1, 7, 1, 48)]


def test_f_string_range_spans_its_expressions():
    result = lint('URL = f"https://api.clever.com/v2.1/teachers/{tid}/students"\n')
    assert spans(result) == [("CLV310", 1, 32, 1, 36), ("CLV302", 1, 37, 1, 60)]


def test_student_ids_do_not_change():
    result = lint('requests.get(f"https://api.clever.com/v2.1/students/{sid}/sections")\n')
    message = {f.code: f.message for f in result.visible}["CLV302"]
    assert message.endswith("; student IDs are the same in v3")


def test_school_admins_become_staff():
    result = lint('requests.get("https://api.clever.com/v2.1/school_admins")\n')
    message = {f.code: f.message for f in result.visible}["CLV301"]
    assert message == (
        "v2 role endpoint /v2.1/school_admins: use /v3.1/users?role=staff (school admins are the role staff in v3)"
    )


def test_no_equivalent_gives_guidance():
    result = lint('requests.get(f"https://api.clever.com/v2.1/sections/{sid}/teacher")\n')
    message = {f.code: f.message for f in result.visible}["CLV303"]
    assert message.startswith(
        "v2 endpoint /v2.1/sections/{id}/teacher has no direct v3.1 equivalent: fetch /v3.1/sections/{id} and then"
    )


@pytest.mark.parametrize(
    "code, expected",
    [
        pytest.param(
            'URL = "https://api.clever.com/v2.1/students?limit=100"',
            [
                ("CLV310", "high", "/v2.1/students", "/v3.1/users?role=student"),
                ("CLV301", "high", "/v2.1/students", "/v3.1/users?role=student"),
            ],
            id="query string",
        ),
        pytest.param(
            'URL = "https://api.clever.com/v2.1/students/"',
            [
                ("CLV310", "high", "/v2.1/students", "/v3.1/users?role=student"),
                ("CLV301", "high", "/v2.1/students", "/v3.1/users?role=student"),
            ],
            id="trailing slash",
        ),
        pytest.param(
            'URL = "api.clever.com/v2.1/teachers"',
            [
                ("CLV310", "high", "/v2.1/teachers", "/v3.1/users?role=teacher"),
                ("CLV301", "high", "/v2.1/teachers", "/v3.1/users?role=teacher"),
            ],
            id="host without scheme",
        ),
        pytest.param(
            'URL = "/v2.1/teachers"',
            [
                ("CLV310", "high", "/v2.1/teachers", "/v3.1/users?role=teacher"),
                ("CLV301", "high", "/v2.1/teachers", "/v3.1/users?role=teacher"),
            ],
            id="version prefix without host",
        ),
        pytest.param(
            'URL = "v2.0/students/{}/teachers"',
            [
                ("CLV310", "high", "/v2.0/students/{id}/teachers", "/v3.1/users/{id}/myteachers"),
                ("CLV302", "high", "/v2.0/students/{id}/teachers", "/v3.1/users/{id}/myteachers"),
            ],
            id="version without leading slash",
        ),
        pytest.param(
            'URL = "/teachers/{}/sections"',
            [("CLV302", "low", "/teachers/{id}/sections", "/users/{id}/sections")],
            id="role path without context is low",
        ),
        pytest.param(
            'URL = "teachers/{}/sections"',
            [("CLV302", "low", "/teachers/{id}/sections", "/users/{id}/sections")],
            id="without leading slash",
        ),
        pytest.param('URL = "students"', [], id="a lone word is not a path"),
        pytest.param('data["students"]', [], id="dictionary key"),
        pytest.param('URL = "https://api.clever.com/v2.1"', [("CLV310", "high", "/v2.1", "/v3.1")], id="base URL"),
        pytest.param(
            'URL = "https://api.clever.com/v1.1/schools"',
            [("CLV310", "high", "/v1.1/schools", "/v3.1/schools")],
            id="v1 version pin",
        ),
        pytest.param('URL = "https://api.clever.com/v3.0/users"', [], id="v3.0 is already v3"),
        pytest.param('URL = "https://api.clever.com/v3.1/users?role=teacher"', [], id="already migrated"),
        pytest.param('URL = "https://clever.com/oauth/tokens"', [], id="oauth is unversioned"),
        pytest.param(
            'URL = "https://api.clever.com/v2.1/schools/{}/sections"',
            [("CLV310", "high", "/v2.1/schools/{id}/sections", "/v3.1/schools/{id}/sections")],
            id="unchanged path keeps only the pin",
        ),
        pytest.param(
            'client = Client(host="https://api.clever.com/v2.1/")',
            [("CLV310", "high", "/v2.1", "/v3.1")],
            id="keyword argument",
        ),
        pytest.param(
            'SETTINGS = {"clever": {"host": "https://api.clever.com/v2.0"}}',
            [("CLV310", "high", "/v2.0", "/v3.1")],
            id="dict literal",
        ),
        pytest.param(
            'def make(base="https://api.clever.com/v2.1"):\n    pass',
            [("CLV310", "high", "/v2.1", "/v3.1")],
            id="parameter default",
        ),
        pytest.param(
            'class C:\n    base = "https://api.clever.com/v2.1"',
            [("CLV310", "high", "/v2.1", "/v3.1")],
            id="class attribute",
        ),
        pytest.param(
            'API_VERSION = "v2.1"\nBASE = "https://api.clever.com/" + API_VERSION',
            [("CLV310", "high", "/v2.1", "/v3.1")],
            id="version constant feeding a Clever URL",
        ),
        pytest.param('API_VERSION = "v2.1"', [], id="version constant that feeds nothing"),
        pytest.param(
            'URL = "https://api.clever.com/v2.1/" + role + "s/" + uid',
            [("CLV310", "high", "/v2.1", "/v3.1")],
            id="role built at run time keeps the pin",
        ),
    ],
)
def test_detection(code, expected):
    assert codes(lint(code + "\n")) == expected


def test_version_constant_is_reported_at_the_constant():
    result = lint('API_VERSION = "v2.1"\nBASE = f"https://api.clever.com/{API_VERSION}"\n')
    assert spans(result) == [("CLV310", 1, 16, 1, 20)]
    assert result.visible[0].message == (
        "version constant 'v2.1' feeds a Clever URL: move to v3.1 together with every role endpoint on it"
    )


# ---- confidence -------------------------------------------------------------------------
def test_role_path_in_a_module_that_uses_a_clever_base_is_medium():
    result = lint(
        """
        CLEVER_API = "https://api.clever.com"
        TEACHERS = "/teachers"
        """
    )
    assert codes(result) == [("CLV301", "medium", "/teachers", "/users?role=teacher")]


def test_role_path_joined_to_an_unknown_base_without_context_is_low():
    result = lint('url = self.base_url + "/students/" + sid\n')
    assert codes(result) == [("CLV302", "low", "/students/{id}", "/users/{id}")]


def test_role_path_passed_to_a_function_that_joins_a_clever_base_is_medium(tmp_path):
    from tests.helpers import lint_tree

    result = lint_tree(
        tmp_path,
        {
            "client.py": """
                import requests
                class CleverClient:
                    BASE = "https://api.clever.com/v2.1"
                    def get(self, path, **params):
                        return requests.get(self.BASE + path, params=params).json()
                """,
            "sync.py": """
                def sync(client, tid):
                    path = "/teachers/{}/students".format(tid)
                    client.get(path)
                    client.get("/sections", limit=5)
                    return client.get(path="/school_admins")
                """,
        },
    )
    found = [(f.path.replace(str(tmp_path), ""), f.code, f.confidence.value, f.v2, f.v3) for f in result.visible]
    assert found == [
        ("/client.py", "CLV310", "high", "/v2.1", "/v3.1"),
        ("/sync.py", "CLV302", "medium", "/v2.1/teachers/{id}/students", "/v3.1/users/{id}/mystudents"),
        ("/sync.py", "CLV301", "medium", "/v2.1/school_admins", "/v3.1/users?role=staff"),
    ]


def test_definition_and_use_give_one_finding():
    result = lint(
        """
        BASE = "https://api.clever.com/v2.1"
        TEACHERS = "/teachers"
        def get(tid):
            return requests.get(BASE + TEACHERS + "/" + tid)
        def again(tid):
            return requests.get(BASE + TEACHERS + "/" + tid)
        """
    )
    assert codes(result) == [
        ("CLV310", "high", "/v2.1", "/v3.1"),
        ("CLV302", "high", "/v2.1/teachers/{id}", "/v3.1/users/{id}"),
    ]


# ---- traps: never medium or high --------------------------------------------------------
@pytest.mark.parametrize(
    "code",
    [
        pytest.param(
            """
            from flask import Flask
            app = Flask(__name__)
            CLEVER = "https://api.clever.com/v3.1"
            @app.route("/students")
            def students(): ...
            @app.get("/teachers/<tid>/sections")
            def sections(tid): ...
            app.add_url_rule("/school_admins", view_func=students)
            """,
            id="flask routes",
        ),
        pytest.param(
            """
            from fastapi import APIRouter
            router = APIRouter()
            @router.get("/students/{student_id}")
            async def student(student_id: str): ...
            """,
            id="fastapi routes",
        ),
        pytest.param(
            """
            from django.urls import path, re_path
            from django.conf.urls import url
            CLEVER = "https://api.clever.com/v3.1"
            urlpatterns = [
                path("students/<int:pk>/sections", views.sections),
                re_path(r"^teachers/(?P<pk>\\d+)/students$", views.students),
                url(r"^contacts/$", views.contacts),
            ]
            """,
            id="django routes",
        ),
        pytest.param(
            """
            OTHER = "https://api.othervendor.com"
            def teachers():
                return requests.get(OTHER + "/v2.0/teachers")
            def sections(tid):
                return requests.get(f"https://sis.example.org/v2.0/teachers/{tid}/sections")
            """,
            id="another vendor's API",
        ),
        pytest.param(
            """
            requests.get("https://api.othervendor.com/api")
            PATH = "/v2.0/teachers"
            """,
            id="versioned role path in a module that talks to another vendor",
        ),
        pytest.param(
            '''
            def sync():
                """Calls https://api.clever.com/v2.1/teachers/{id}/sections for each teacher."""
                # GET https://api.clever.com/v2.1/students
                return None
            class Roster:
                """See /v2.1/students."""
            ''',
            id="comments and docstrings",
        ),
    ],
)
def test_trap_gives_nothing_at_medium_or_high(code):
    assert codes(lint(code, min_confidence="medium")) == []


def test_redirects_to_the_apps_own_pages_are_not_clever_calls():
    result = lint(
        """
        ME_URL = "https://api.clever.com/v2.1/me"
        def login_callback(request):
            me = requests.get(ME_URL).json()
            if me["type"] == "teacher":
                return redirect("/teachers/dashboard")
            return redirect(url_for("students"), "/students/home")
        """,
        min_confidence="low",
    )
    assert codes(result) == [
        ("CLV310", "high", "/v2.1/me", "/v3.1/me"),
        ("CLV502", "high", "/me type", "roles of /v3.1/users/{id}"),
        ("CLV503", "high", "type == 'teacher'", "'teacher' in roles"),
    ]
