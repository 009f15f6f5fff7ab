"""Nightly job: mirror the district's roster into our database."""

import logging

from .client import CleverClient
from .models import Classroom, Person

log = logging.getLogger(__name__)

ROLE_PATHS = {
    "student": "students",
    "teacher": "teachers",
}


def sync_district(token, db):
    client = CleverClient(token)
    district = client.district()
    log.info("syncing district %s", district["id"])
    for teacher in client.teachers():
        db.upsert(Person(clever_id=teacher["id"], role="teacher", name=teacher["name"]))
        for section in client.teacher_sections(teacher["id"]):
            classroom = Classroom(clever_id=section["data"]["id"], teacher_id=teacher["id"])
            db.upsert(classroom)
            for student in client.section_students(section["data"]["id"]):
                db.enrol(student["data"]["id"], classroom)
    for admin in client.school_admins():
        schools = client.admin_schools(admin["id"])
        db.upsert(Person(clever_id=admin["id"], role="school_admin", schools=schools))


def refresh_one(client, role, clever_id):
    """Re-read one person; the path is chosen from our own role names."""
    return client._get("/%s/%s" % (ROLE_PATHS[role], clever_id))
