"""Nightly: copy the district's teachers into our own table, keyed by their Clever ID."""

from gradebook.clever import CleverSession
from gradebook.models import Teacher


def sync_teachers(token):
    session = CleverSession(token)
    for teacher in session.teachers():
        Teacher.objects.update_or_create(clever_id=teacher["id"], defaults={"name": teacher["name"]["first"]})


def sync_sections(token):
    session = CleverSession(token)
    for teacher in Teacher.objects.all():
        for section in session.sections_of(teacher.clever_id):
            print(teacher.name, section["name"])
