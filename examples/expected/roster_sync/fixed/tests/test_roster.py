"""The integration's own tests: they talk to a Clever sandbox (CLEVER_API_HOST, CLEVER_TOKEN)
or to a local fake of it (`clever-upgrade trace --fake-api v2.1 -- python -m pytest tests`)."""

import os

import pytest

from rostering import events, login
from rostering.client import CleverClient
from rostering.sync import refresh_one, sync_district
from run_sync import MemoryDB

TOKEN = os.environ.get("CLEVER_TOKEN", "district-token")


@pytest.fixture
def client():
    return CleverClient(TOKEN)


def test_district_and_schools(client):
    assert client.district()["id"]
    assert client.schools()


def test_every_list_of_people(client):
    assert list(client.students())
    assert list(client.teachers())
    assert list(client.school_admins())


def test_one_person_of_each_kind(client):
    student = next(client.students())
    teacher = next(client.teachers())
    assert client.student(student["id"])["id"] == student["id"]
    assert client.teacher(teacher["id"])["id"] == teacher["id"]
    assert refresh_one(client, "teacher", teacher["id"])["data"]["id"] == teacher["id"]
    assert isinstance(client.student_contacts(student["id"]), list)


def test_sections_and_their_students(client):
    teacher = next(client.teachers())
    sections = client.teacher_sections(teacher["id"])
    assert sections
    assert client.section_students(sections[0]["data"]["id"])


def test_the_schools_of_an_admin(client):
    admin = next(client.school_admins())
    assert client.admin_schools(admin["id"])


def test_the_nightly_sync_stores_people_and_classrooms():
    db = MemoryDB()
    sync_district(TOKEN, db)
    assert db.people and db.classrooms and db.enrolments


class EventLog(MemoryDB):
    def deactivate(self, clever_id):
        self.people.pop(clever_id, None)

    def sync_section(self, record):
        self.classrooms[record["id"]] = record.get("teacher")


def test_the_events_poll_runs():
    db = EventLog()
    cursor = events.poll(TOKEN, db, None)
    assert cursor is None or isinstance(cursor, str)


def test_login_asks_me_who_this_is():
    me = login.fetch_me("teacher-token")
    assert me["id"]
