"""Step 4: record_type filters, v2 event types in dispatch code, SDK event classes."""

from __future__ import annotations

import pytest

from tests.helpers import lint

CONTEXT = 'EVENTS_URL = "https://api.clever.com/v3.1/events"\n'


def found(code, min_confidence="medium"):
    result = lint(CONTEXT + code, min_confidence=min_confidence)
    return [(f.code, f.span.line - 1, f.v2, f.v3) for f in result.visible]


@pytest.mark.parametrize(
    "v2, v3, expected",
    [
        pytest.param(
            'requests.get(EVENTS_URL, params={"record_type": "students"})',
            'requests.get(EVENTS_URL, params={"record_type": "users"})',
            [("CLV401", 1, "record_type=students", "record_type=users")],
            id="params dict",
        ),
        pytest.param(
            'requests.get(EVENTS_URL, params={"record_type": ["teachers", "sections", "schooladmins"]})',
            'requests.get(EVENTS_URL, params={"record_type": ["users", "sections"]})',
            [
                ("CLV401", 1, "record_type=teachers", "record_type=users"),
                ("CLV401", 1, "record_type=schooladmins", "record_type=users"),
            ],
            id="list of values",
        ),
        pytest.param(
            'params = {}\nparams["record_type"] = "districtadmins"',
            'params = {}\nparams["record_type"] = "users"',
            [("CLV401", 2, "record_type=districtadmins", "record_type=users")],
            id="assigned into a dict",
        ),
        pytest.param(
            "params = dict(limit=10, record_type=('contacts', 'district_admins'))",
            "params = dict(limit=10, record_type=('users',))",
            [
                ("CLV401", 1, "record_type=contacts", "record_type=users"),
                ("CLV401", 1, "record_type=district_admins", "record_type=users"),
            ],
            id="dict() and a spelling seen in the wild",
        ),
        pytest.param(
            'requests.get(EVENTS_URL, params=[("record_type", "student"), ("limit", 5)])',
            'requests.get(EVENTS_URL, params=[("record_type", "users"), ("limit", 5)])',
            [("CLV401", 1, "record_type=student", "record_type=users")],
            id="list of pairs, singular spelling",
        ),
        pytest.param(
            'RT = "teachers"\nevents_api.get_events(record_type=[RT])',
            'RT = "users"\nevents_api.get_events(record_type=[RT])',
            [("CLV401", 1, "record_type=teachers", "record_type=users")],
            id="SDK keyword through a constant",
        ),
        pytest.param(
            'requests.get(EVENTS_URL + "?record_type=students&limit=100")',
            'requests.get(EVENTS_URL + "?record_type=users&limit=100")',
            [("CLV401", 1, "record_type=students", "record_type=users")],
            id="query string",
        ),
    ],
)
def test_record_type(v2, v3, expected):
    assert found(v2) == expected
    assert found(v3, "low") == []


@pytest.mark.parametrize(
    "v2, v3, expected",
    [
        pytest.param(
            'if event["type"] == "students.created":\n    pass',
            'if event["type"] == "users.created" and "student" in event["data"]["object"]["roles"]:\n    pass',
            [("CLV402", 1, "students.created", "users.created")],
            id="equality",
        ),
        pytest.param(
            'if kind != "teachers.deleted":\n    pass',
            'if kind != "users.deleted":\n    pass',
            [("CLV402", 1, "teachers.deleted", "users.deleted")],
            id="inequality",
        ),
        pytest.param(
            'if kind in ("schooladmins.created", "schooladmins.updated", "sections.created"):\n    pass',
            'if kind in ("users.created", "users.updated", "sections.created"):\n    pass',
            [
                ("CLV402", 1, "schooladmins.created", "users.created"),
                ("CLV402", 1, "schooladmins.updated", "users.updated"),
            ],
            id="membership in a tuple",
        ),
        pytest.param(
            'if kind in {"district_admins.deleted"}:\n    pass',
            'if kind in {"users.deleted"}:\n    pass',
            [("CLV402", 1, "district_admins.deleted", "users.deleted")],
            id="set membership, underscore spelling",
        ),
        pytest.param(
            'HANDLERS = {"contacts.created": on_contact, "terms.created": on_term}',
            'HANDLERS = {"users.created": on_user, "terms.created": on_term}',
            [("CLV402", 1, "contacts.created", "users.created")],
            id="dispatch dict keys",
        ),
        pytest.param(
            'if kind.startswith("students."):\n    pass',
            'if kind.startswith("users."):\n    pass',
            [("CLV402", 1, "students.", "users.")],
            id="startswith prefix",
        ),
        pytest.param(
            'if kind.startswith(("teachers", "schools")):\n    pass',
            'if kind.startswith(("users", "schools")):\n    pass',
            [("CLV402", 1, "teachers", "users.")],
            id="startswith tuple",
        ),
        pytest.param(
            'match kind:\n    case "students.updated" | "sections.updated":\n        pass',
            'match kind:\n    case "users.updated" | "sections.updated":\n        pass',
            [("CLV402", 2, "students.updated", "users.updated")],
            id="match case",
        ),
        pytest.param(
            "import clever\nif isinstance(event.data, clever.TeachersUpdated):\n    pass",
            "import clever\nif isinstance(event.data, clever.SectionsUpdated):\n    pass",
            [("CLV403", 2, "TeachersUpdated", "UsersUpdated")],
            id="isinstance on an SDK event class",
        ),
        pytest.param(
            (
                "from clever.models import StudentsCreated, ContactsDeleted\n"
                "if isinstance(e, (StudentsCreated, ContactsDeleted)):\n    pass"
            ),
            "from clever.models import SectionsCreated\nif isinstance(e, SectionsCreated):\n    pass",
            [("CLV403", 2, "StudentsCreated", "UsersCreated"), ("CLV403", 2, "ContactsDeleted", "UsersDeleted")],
            id="isinstance with a tuple of imported classes",
        ),
        pytest.param(
            'if type(event.data).__name__ == "DistrictadminsCreated":\n    pass',
            'if type(event.data).__name__ == "UsersCreated":\n    pass',
            [("CLV403", 1, "DistrictadminsCreated", "UsersCreated")],
            id="class name comparison",
        ),
    ],
)
def test_event_types(v2, v3, expected):
    assert found(v2) == expected
    assert found(v3, "low") == []


def test_event_type_message_says_how_to_test_the_role():
    result = lint(CONTEXT + 'if event["type"] == "teachers.created":\n    pass\n')
    assert result.visible[0].message == (
        "v2 event type 'teachers.created': v3.1 sends 'users.created' for every user; "
        'also test the role: "teacher" in event["data"]["object"]["roles"]'
    )


def test_dispatch_without_clever_context_is_medium_for_several_types_and_low_for_one():
    several = lint('if k == "students.created" or k == "teachers.created":\n    pass\n')
    assert {f.confidence.value for f in several.visible} == {"medium"}
    one = lint('if k == "students.created":\n    pass\n')
    assert [f.confidence.value for f in one.findings] == ["low"]


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(
            'MESSAGES = {"students.created": "A student joined", "teachers.updated": "Profile updated"}',
            id="translation table",
        ),
        pytest.param('label = _("students.created")\ntitle = gettext("teachers.updated")', id="translation keys"),
        pytest.param('audit.log("students.created", user=u)\nlogger.info("teachers.updated")', id="audit log names"),
        pytest.param(
            'if kind == "sections.created" or kind.startswith("schools."):\n    pass', id="unchanged resources"
        ),
        pytest.param('params = {"record_type": "sections"}', id="unchanged record type"),
        pytest.param('record = {"type": "students"}', id="not a record_type key"),
    ],
)
def test_event_traps(code):
    assert found(code, "medium") == []
