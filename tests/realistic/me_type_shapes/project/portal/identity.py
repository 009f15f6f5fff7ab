import requests

ME_URL = "https://api.clever.com/v2.1/me"
STAFF_TYPES = {"teacher", "district_admin", "school_admin"}


def _me(token):
    return requests.get(ME_URL, headers={"Authorization": "Bearer " + token}).json()["data"]


def whoami(token):
    data = _me(token)
    return {"id": data["id"], "kind": data["type"], "district": data["district"]}


def is_staff(token):
    me_type = _me(token)["type"]
    return me_type in STAFF_TYPES
