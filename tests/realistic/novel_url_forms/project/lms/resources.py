import enum
import functools
import posixpath
from urllib.parse import urlunsplit

import requests

BASE = "https://api.clever.com/v2.1"


class Resource(str, enum.Enum):
    STUDENTS = "students"
    SECTIONS = "sections"


def get(path, token):
    return requests.get(path, headers={"Authorization": "Bearer " + token}).json()["data"]


def enum_students(token):
    return get(f"{BASE}/{Resource.STUDENTS.value}", token)


fetch_teachers = functools.partial(get, BASE + "/teachers")


def mapped_contacts(token):
    return get("{base}/contacts".format_map({"base": BASE}), token)


def unsplit_admins(token):
    return get(urlunsplit(("https", "api.clever.com", "/v2.1/school_admins", "", "")), token)


def joined_sections(token, teacher_id):
    return get(posixpath.join(BASE, "teachers", teacher_id, "sections"), token)


ROSTER_PATHS = ["/students", "/teachers"]


def roster(token):
    for path in ROSTER_PATHS:
        yield from get(BASE + path, token)
