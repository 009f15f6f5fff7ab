import requests

from sync.settings import CLEVER_API

SEGMENT_BY_ROLE = {"student": "students", "teacher": "teachers", "staff": "school_admins"}


def fetch(path, token):
    response = requests.get(CLEVER_API + path, headers={"Authorization": "Bearer " + token})
    response.raise_for_status()
    return response.json()["data"]


def people_of_role(role, token):
    return fetch("/" + SEGMENT_BY_ROLE[role], token)


def everyone(token):
    people = []
    for kind in ("students", "teachers"):
        people.extend(fetch(f"/{kind}", token))
    return people


def person(kind, person_id, token):
    path = "/users/{}".format(person_id).replace("users", kind)
    return fetch(path, token)
