import os

import requests

CLEVER_HOST = os.environ.get("CLEVER_HOST", "https://api.clever.com")


def build_url(path, version="v2.1"):
    return f"{CLEVER_HOST}/{version}{path}"


def get(path, token, **params):
    response = requests.get(build_url(path), headers={"Authorization": "Bearer " + token}, params=params)
    return response.json()


def me(token):
    return get("/me", token)


def sections_for_teacher(token, teacher_id):
    return get(f"/teachers/{teacher_id}/sections", token)["data"]


def schools(token):
    return get("/schools", token, limit=100)["data"]
