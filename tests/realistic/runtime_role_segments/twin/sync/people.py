import requests

from sync.settings import CLEVER_API

ROLES = ("student", "teacher", "staff")


def fetch(path, token, **params):
    response = requests.get(CLEVER_API + path, params=params, headers={"Authorization": "Bearer " + token})
    response.raise_for_status()
    return response.json()["data"]


def people_of_role(role, token):
    return fetch("/users", token, role=role)


def everyone(token):
    people = []
    for role in ("student", "teacher"):
        people.extend(fetch("/users", token, role=role))
    return people


def person(person_id, token):
    return fetch("/users/{}".format(person_id), token)
