import enum

import requests

from roster.loader import provider_config


class Kind(str, enum.Enum):
    STUDENTS = "students"
    TEACHERS = "teachers"


def pull(kind, token):
    url = "{}/{}".format(provider_config()["base_url"], kind.value)
    return requests.get(url, headers={"Authorization": "Bearer " + token}).json()["data"]


def pull_all(token):
    return [pull(kind, token) for kind in Kind]
