"""Run the nightly roster sync once and print what it stored, as JSON.

    CLEVER_API_HOST=http://127.0.0.1:8765 python run_sync.py district-token

For the demo and the end-to-end test against the fake Clever API (`clever-upgrade fake-api`)."""

import json
import sys

from rostering.client import CleverError
from rostering.models import Classroom, Person
from rostering.sync import sync_district


class MemoryDB:
    """The app's database, in memory."""

    def __init__(self):
        self.people = {}
        self.classrooms = {}
        self.enrolments = []

    def upsert(self, record):
        if isinstance(record, Person):
            schools = sorted(school["data"]["id"] for school in record.schools)
            self.people[(record.role, record.clever_id)] = schools
        elif isinstance(record, Classroom):
            self.classrooms[record.clever_id] = record.teacher_id

    def enrol(self, student_id, classroom):
        self.enrolments.append([student_id, classroom.clever_id])

    def dump(self):
        return {
            "people": sorted([role, clever_id, schools] for (role, clever_id), schools in self.people.items()),
            "classrooms": dict(sorted(self.classrooms.items())),
            "enrolments": sorted(self.enrolments),
        }


def main(token):
    db = MemoryDB()
    try:
        sync_district(token, db)
    except CleverError as error:
        print(f"sync failed: {error}", file=sys.stderr)
        return 1
    print(json.dumps(db.dump(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "district-token"))
