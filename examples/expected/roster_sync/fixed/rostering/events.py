"""Incremental sync from the Clever Events API, run every few minutes."""

import logging

from .client import CleverClient
from .models import Person

log = logging.getLogger(__name__)

WATCHED = ["students", "teachers", "schooladmins", "sections"]


def poll(token, db, cursor):
    client = CleverClient(token)
    params = {"record_type": WATCHED, "limit": 100}
    if cursor:
        params["starting_after"] = cursor
    page = client._get("/events", **params)
    for wrapper in page["data"]:
        event = wrapper["data"]
        handle(db, event)
        cursor = event["id"]
    return cursor


def on_student_created(db, record):
    db.upsert(Person(clever_id=record["id"], role="student", name=record["name"]))


def on_teacher_changed(db, record):
    db.upsert(Person(clever_id=record["id"], role="teacher", name=record["name"]))


HANDLERS = {
    "students.created": on_student_created,
    "teachers.created": on_teacher_changed,
    "teachers.updated": on_teacher_changed,
}


def handle(db, event):
    kind = event["type"]
    record = event["data"]["object"]
    if kind in HANDLERS:
        HANDLERS[kind](db, record)
    elif kind == "students.deleted" or kind == "teachers.deleted":
        db.deactivate(record["id"])
    elif kind.startswith("schooladmins."):
        log.info("ignoring school admin event %s", event["id"])
    elif kind.startswith("sections."):
        db.sync_section(record)
