import requests

from sync.settings import CLEVER_API, PAGE_SIZE


def lookup_person(token, person_id):
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.get(f"{CLEVER_API}/students/{person_id}", headers=headers)
    if response.status_code == 404:
        response = requests.get(f"{CLEVER_API}/teachers/{person_id}", headers=headers)
        role = "teacher"
    else:
        role = "student"
    return role, response.json()["data"]


def sections_by_role(token, person_id):
    headers = {"Authorization": f"Bearer {token}"}
    tagged = []
    for item in requests.get(f"{CLEVER_API}/students/{person_id}/sections", headers=headers).json()["data"]:
        tagged.append(("student", item["data"]))
    for item in requests.get(f"{CLEVER_API}/teachers/{person_id}/sections", headers=headers).json()["data"]:
        tagged.append(("teacher", item["data"]))
    return tagged


def schools(token):
    headers = {"Authorization": f"Bearer {token}"}
    return requests.get(f"{CLEVER_API}/schools", headers=headers, params={"limit": PAGE_SIZE}).json()["data"]
