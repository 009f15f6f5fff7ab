"""Calls to the Clever Data API with the district token."""

import requests
from django.conf import settings

SECTION_TEACHER = "/sections/{}/teacher"


def get(path, token, **params):
    response = requests.get(
        "%s%s" % (settings.CLEVER_API_BASE, path),
        headers={"Authorization": f"Bearer {token}"},
        params=params,
        timeout=20,
    )
    response.raise_for_status()
    return response.json()


def teachers(token):
    return [item["data"] for item in get("/teachers", token, limit=1000)["data"]]


def sections_of(teacher_id, token):
    return [item["data"] for item in get(f"/teachers/{teacher_id}/sections", token)["data"]]


def primary_teacher(section_id, token):
    return get(SECTION_TEACHER.format(section_id), token)["data"]
