import requests

from app.settings import CLEVER_BASE, TIMEOUT


def teachers(session: requests.Session):
    return session.get(CLEVER_BASE + "/users?role=teacher", timeout=TIMEOUT).json()["data"]


def teacher_sections(session: requests.Session, teacher_id: str):
    return session.get(f"{CLEVER_BASE}/users/{teacher_id}/sections", timeout=TIMEOUT).json()["data"]
