import requests

BASE = "https://api.clever.com/v3.1"
session = requests.Session()


def get_users(role, **params):
    return session.get(f"{BASE}/users", params=dict(params, role=role)).json()["data"]


FETCHERS = {
    "students": lambda **kw: get_users("student", **kw),
    "teachers": lambda **kw: get_users("teacher", **kw),
}


def all_students():
    fetch = FETCHERS["students"]
    return [item["data"] for item in fetch(limit=100)]
