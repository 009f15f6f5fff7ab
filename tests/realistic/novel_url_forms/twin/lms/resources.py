import enum
import functools
import posixpath
from urllib.parse import urlunsplit

import requests

BASE = "https://api.clever.com/v3.1"


class Resource(str, enum.Enum):
    USERS = "users"
    SECTIONS = "sections"


def get(path, token, **params):
    return requests.get(path, params=params, headers={"Authorization": "Bearer " + token}).json()["data"]


def enum_students(token):
    return get(f"{BASE}/{Resource.USERS.value}", token, role="student")


fetch_teachers = functools.partial(get, BASE + "/users", role="teacher")


def mapped_contacts(token):
    return get("{base}/users".format_map({"base": BASE}), token, role="contact")


def unsplit_admins(token):
    return get(urlunsplit(("https", "api.clever.com", "/v3.1/users", "role=staff", "")), token)


def joined_sections(token, user_id):
    return get(posixpath.join(BASE, "users", user_id, "sections"), token)


ROLES = ["student", "teacher"]


def roster(token):
    for role in ROLES:
        yield from get(BASE + "/users", token, role=role)
