import requests

BASE = "https://api.clever.com/v3.1"
ROLES = ("student", "teacher")


def fetch_all(session: requests.Session):
    return {role: session.get(f"{BASE}/users", params={"role": role}).json()["data"] for role in ROLES}
