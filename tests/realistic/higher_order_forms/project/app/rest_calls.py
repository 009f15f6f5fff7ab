from typing import Literal

import requests

BASE = "https://api.clever.com/v2.1"


def clever_endpoint(path):
    def wrap(function):
        def inner(token):
            data = requests.get(BASE + path, headers={"Authorization": "Bearer " + token}).json()["data"]
            return function(data)

        return inner

    return wrap


@clever_endpoint("/students")
def student_names(data):
    return [row["data"]["name"] for row in data]


def fetch(kind: Literal["students", "teachers"], token):
    return requests.get(f"{BASE}/{kind}", headers={"Authorization": "Bearer " + token}).json()["data"]
