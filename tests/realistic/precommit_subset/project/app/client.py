import requests

from app.settings import CLEVER_BASE, TIMEOUT


def teachers(session: requests.Session):
    return session.get(CLEVER_BASE + "/teachers", timeout=TIMEOUT).json()["data"]


def teacher_sections(session: requests.Session, teacher_id: str):
    return session.get(f"{CLEVER_BASE}/teachers/{teacher_id}/sections", timeout=TIMEOUT).json()["data"]
