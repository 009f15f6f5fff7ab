"""One district's roster, held as v3 multi-role users; the v2 records are derived from it.

The teacher Grace Hopper is also staff (a v2 teacher and a v2 school admin: two v2 records,
one v3 user). Student IDs are the same in v2 and v3; every other role's v2 ID is its
roles.<role>.legacy_id."""

DISTRICT = {"id": "d1", "name": "Fake Unified School District"}

SCHOOLS = [
    {"id": "s1", "district": "d1", "name": "Lovelace Elementary"},
    {"id": "s2", "district": "d1", "name": "Turing Middle"},
]

USERS = [
    {"id": "st1", "district": "d1", "name": {"first": "Ada", "last": "Byron"},
     "roles": {"student": {"legacy_id": "st1", "school": "s1", "schools": ["s1"], "grade": "3", "sis_id": "S-1"}}},
    {"id": "st2", "district": "d1", "name": {"first": "Ben", "last": "Ito"},
     "roles": {"student": {"legacy_id": "st2", "school": "s1", "schools": ["s1"], "grade": "4", "sis_id": "S-2"}}},
    {"id": "u-t1", "district": "d1", "name": {"first": "Alan", "last": "Kay"},
     "roles": {"teacher": {"legacy_id": "t1", "school": "s1", "schools": ["s1"], "sis_id": "T-1"}}},
    {"id": "u-gh", "district": "d1", "name": {"first": "Grace", "last": "Hopper"},
     "roles": {"teacher": {"legacy_id": "t2", "school": "s2", "schools": ["s2"], "sis_id": "T-2"},
               "staff": {"legacy_id": "sa1", "schools": ["s1", "s2"], "title": "Principal"}}},
    {"id": "u-c1", "district": "d1", "name": {"first": "Mary", "last": "Byron"},
     "roles": {"contact": {"legacy_id": "c1", "student_relationships": [{"student": "st1", "relationship": "Parent", "type": "Parent/Guardian"}]}}},
]

SECTIONS = [
    {"id": "sec1", "district": "d1", "school": "s1", "name": "Reading 3", "teacher": "u-t1", "teachers": ["u-t1"], "students": ["st1", "st2"]},
    {"id": "sec2", "district": "d1", "school": "s2", "name": "Logic 7", "teacher": "u-gh", "teachers": ["u-gh"], "students": ["st2"]},
]

# (v2 type, v3 type, user id)
EVENTS = [
    ("students.created", "users.created", "st1"),
    ("teachers.updated", "users.updated", "u-t1"),
]

TOKENS = {"district-token": None, "teacher-token": "u-t1", "student-token": "st1"}

V2_ROLES = {"students": "student", "teachers": "teacher", "school_admins": "staff", "contacts": "contact"}
