"""Step 2 (IDs kept from v2 records) and step 3 (fields that moved under roles.<role>)."""

from __future__ import annotations

import pytest

from tests.helpers import lint, lint_tree

API = 'import requests\nAPI = "https://api.clever.com/v3.1"\nV2 = "https://api.clever.com/v2.1"\n'


def found(code, min_confidence="medium", codes=("CLV201", "CLV202", "CLV330")):
    result = lint(API + code, min_confidence=min_confidence)
    return [(f.code, f.span.line - 3, f.v2, f.v3) for f in result.visible if f.code in codes]


@pytest.mark.parametrize(
    "v2, v3, expected",
    [
        pytest.param(
            'for t in requests.get(V2 + "/teachers").json()["data"]:\n    db.save(Teacher(clever_id=t["data"]["id"]))',
            (  # the v3 form maps the IDs stored from v2 (else the stored IDs stay reported)
                'for u in requests.get(API + "/users?role=teacher").json()["data"]:\n'
                '    db.save(Teacher(clever_id=u["data"]["id"], v2_id=u["data"]["roles"]["teacher"]["legacy_id"]))'
            ),
            [("CLV201", 2, "teacher id", "v3 user id")],
            id="model field",
        ),
        pytest.param(
            'admins = requests.get(V2 + "/school_admins").json()["data"]\nindex = {a["data"]["id"]: a for a in admins}',
            (
                'admins = requests.get(API + "/users?role=staff").json()["data"]\n'
                'index = {a["data"]["id"]: a for a in admins}'
            ),
            [],
            id="comprehension keys are not followed (no finding, no guess)",
        ),
        pytest.param(
            (
                'teachers = [i["data"] for i in requests.get(V2 + "/teachers").json()["data"]]\nfor t in teachers:\n'
                '    db.save(Teacher(clever_id=t["id"]))'
            ),
            (
                'users = [i["data"] for i in requests.get(API + "/users?role=teacher").json()["data"]]\n'
                'for u in users:\n    db.save(Teacher(clever_id=u["id"], v2_id=u["roles"]["teacher"]["legacy_id"]))'
            ),
            [("CLV201", 3, "teacher id", "v3 user id")],
            id="records read through a list comprehension",
        ),
        pytest.param(
            (
                'c = requests.get(V2 + "/contacts/" + cid).json()["data"]\ncache[c["id"]] = c\n'
                'row = {"contact_id": c["id"]}'
            ),
            'c = requests.get(API + "/users/" + cid).json()["data"]\nrow = {"contact_id": c["id"]}',
            [("CLV201", 2, "contact id", "v3 user id"), ("CLV201", 3, "contact id", "v3 user id")],
            id="dict key and dict value",
        ),
        pytest.param(
            (
                'def teacher(tid):\n    return requests.get(f"{V2}/teachers/{tid}").json()["data"]\nt = teacher(x)\n'
                'profile.clever_teacher_id = t["id"]'
            ),
            (
                'def user(uid):\n    return requests.get(f"{API}/users/{uid}").json()["data"]\nu = user(x)\n'
                'profile.clever_user_id = u["id"]'
            ),
            [("CLV201", 4, "teacher id", "v3 user id")],
            id="attribute assignment through a function",
        ),
        pytest.param(
            'for s in requests.get(V2 + "/students").json()["data"]:\n    db.save(Student(clever_id=s["data"]["id"]))',
            (
                'for u in requests.get(API + "/users?role=student").json()["data"]:\n'
                '    db.save(Student(clever_id=u["data"]["id"]))'
            ),
            [],
            id="student IDs do not change",
        ),
        pytest.param(
            (
                't = requests.get(f"{V2}/teachers/{tid}").json()["data"]\n'
                "sections = requests.get(f\"{API}/users/{t['id']}/sections\")"
            ),
            (
                'u = requests.get(f"{API}/users/{uid}").json()["data"]\n'
                "sections = requests.get(f\"{API}/users/{u['id']}/sections\")"
            ),
            [("CLV202", 2, "teacher id", "v3 user id")],
            id="v2 ID in a v3 endpoint",
        ),
        pytest.param(
            's = requests.get(f"{V2}/students/{sid}").json()["data"]\ngrade, school = s["grade"], s.get("school")',
            (
                'u = requests.get(f"{API}/users/{sid}").json()["data"]\n'
                'grade, school = u["roles"]["student"]["grade"], u["roles"]["student"].get("school")'
            ),
            [("CLV330", 2, "grade", "roles.student.grade"), ("CLV330", 2, "school", "roles.student.school")],
            id="student fields",
        ),
        pytest.param(
            (
                'for t in requests.get(V2 + "/teachers").json()["data"]:\n'
                '    print(t["data"]["sis_id"], t["data"]["teacher_number"], t["data"]["email"])'
            ),
            (
                'for u in requests.get(API + "/users?role=teacher").json()["data"]:\n'
                '    print(u["data"]["roles"]["teacher"]["sis_id"], u["data"]["email"])'
            ),
            [
                ("CLV330", 2, "sis_id", "roles.teacher.sis_id"),
                ("CLV330", 2, "teacher_number", "roles.teacher.teacher_number"),
            ],
            id="teacher fields, email stays",
        ),
        pytest.param(
            'for c in requests.get(V2 + "/contacts").json()["data"]:\n    rel = c["data"]["relationship"]',
            (
                'for u in requests.get(API + "/users?role=contact").json()["data"]:\n'
                '    rels = u["data"]["roles"]["contact"]["student_relationships"]'
            ),
            [("CLV330", 2, "relationship", "roles.contact.student_relationships[].relationship")],
            id="contact relationship",
        ),
        pytest.param(
            'c = requests.get(f"{V2}/contacts/{cid}").json()["data"]\nlabel = c["name"].upper()',
            'u = requests.get(f"{API}/users/{cid}").json()["data"]\nlabel = u["name"]["last"].upper()',
            [("CLV330", 2, "name", "name {first, middle, last}")],
            id="contact name string",
        ),
        pytest.param(
            "import clever\napi = clever.DataApi(x)\nfor s in api.get_students().data:\n    print(s.data.sis_id)",
            (
                'for u in requests.get(API + "/users?role=student").json()["data"]:\n'
                '    print(u["data"]["roles"]["student"]["sis_id"])'
            ),
            [("CLV330", 4, "sis_id", "roles.student.sis_id")],
            id="SDK objects",
        ),
    ],
)
def test_records(v2, v3, expected):
    assert found(v2) == expected
    assert found(v3, "low") == []


def test_logging_an_id_is_not_storing_it():
    code = 'for t in requests.get(V2 + "/teachers").json()["data"]:\n    log.info("teacher %s", t["data"]["id"])\n'
    assert found(code, "low") == []


def test_records_across_modules(tmp_path):
    result = lint_tree(
        tmp_path,
        {
            "client.py": """
                import requests
                class Client:
                    BASE = "https://api.clever.com/v2.1"
                    def get(self, path):
                        return requests.get(self.BASE + path).json()["data"]
                    def teachers(self):
                        return self.get("/teachers")
                """,
            "sync.py": """
                def sync(client, db):
                    for teacher in client.teachers():
                        db.upsert(clever_id=teacher["data"]["id"], title=teacher["data"]["title"])
                """,
        },
        min_confidence="medium",
    )
    found_codes = [(f.path.rsplit("/", 1)[-1], f.code, f.v2) for f in result.visible if f.code in ("CLV201", "CLV330")]
    assert found_codes == [("sync.py", "CLV201", "teacher id"), ("sync.py", "CLV330", "title")]


@pytest.mark.parametrize(
    "code, expected",
    [
        pytest.param(
            'for u in requests.get(API + "/users?role=teacher").json()["data"]:\n'
            '    db.save(Teacher(clever_id=u["data"]["id"]))',
            [("CLV201", 2, "teacher id", "v3 user id")],
            id="stored v3 IDs without a mapping of the v2 ones",
        ),
        pytest.param(
            'for u in requests.get(API + "/users?role=teacher").json()["data"]:\n'
            '    print(u["data"]["sis_id"], u["data"]["roles"]["teacher"]["title"])',
            [("CLV330", 2, "sis_id", "roles.teacher.sis_id")],
            id="a v2 field read from a v3 record",
        ),
        pytest.param(
            'user = requests.get(API + "/users/" + uid).json()["data"]\ngrade = user["grade"]',
            [("CLV330", 2, "grade", "roles.student.grade")],
            id="a v2 field of one role read from a v3 record of any role",
        ),
        pytest.param(
            'for u in requests.get(API + "/users?role=student").json()["data"]:\n'
            '    db.save(Student(clever_id=u["data"]["id"]))',
            [],
            id="student IDs do not change",
        ),
    ],
)
def test_findings_survive_the_move_to_v3(tmp_path, code, expected):
    """What `fix` cannot migrate stays reported once the URL is v3.1 (issue 14, point 7)."""
    result = lint(f'import requests\nAPI = "https://api.clever.com/v3.1"\n{code}\n', "medium", tmp_path / "app.py")
    assert [(f.code, f.span.line - 2, f.v2, f.v3) for f in result.visible] == expected


@pytest.mark.parametrize(
    "code, expected",
    [
        pytest.param(
            'def sections(teacher_id):\n    return requests.get(f"{API}/users/{teacher_id}/sections")',
            [("CLV202", 2, "teacher id", "v3 user id")],
            id="a parameter named for a teacher",
        ),
        pytest.param(
            'def sections(row):\n    return requests.get(API + "/users/" + row.staffId + "/sections")',
            [("CLV202", 2, "staff id", "v3 user id")],
            id="an attribute named for staff",
        ),
        pytest.param(
            "def card(district_admin):\n    return requests.get(f\"{API}/users/{district_admin['id']}\")",
            [("CLV202", 2, "district_admin id", "v3 user id")],
            id="a record named for a district admin",
        ),
        pytest.param(
            'def sections(student_id):\n    return requests.get(f"{API}/users/{student_id}/sections")',
            [],
            id="student IDs do not change",
        ),
        pytest.param(
            'def sections(teacher_user_id):\n    return requests.get(f"{API}/users/{teacher_user_id}/sections")',
            [],
            id="named for a v3 user",
        ),
        pytest.param(
            'def sections(teacher_id):\n    return requests.get(f"{API}/users/{teacher_id}/sections")\n'
            'def remap(user):\n    return user["roles"]["teacher"]["legacy_id"]',
            [],
            id="the module maps IDs",
        ),
        pytest.param(
            'def sections():\n    for teacher in requests.get(API + "/users?role=teacher").json()["data"]:\n'
            "        requests.get(f\"{API}/users/{teacher['data']['id']}/sections\")",
            [],
            id="the ID comes from v3",
        ),
        pytest.param(
            'def sections(teacher_id):\n    return requests.get(f"https://oneroster.example/users/{teacher_id}")',
            [],
            id="another vendor",
        ),
    ],
)
def test_an_id_named_for_a_changing_role_stays_reported_after_the_move(tmp_path, code, expected):
    """After an (unsafe) rewrite of /v2.1/teachers/{teacher_id} to /v3.1/users/{teacher_id},
    nothing but its name says the ID is a v2 one: the finding stays until the code maps IDs
    (issue 14, point 6)."""
    result = lint(f'import requests\nAPI = "https://api.clever.com/v3.1"\n{code}\n', "medium", tmp_path / "app.py")
    assert [(f.code, f.span.line - 2, f.v2, f.v3) for f in result.visible] == expected
