import requests

API = "https://api.clever.com/v3.1"
STAFF_ROLES = {"teacher", "district_admin", "staff"}


def _get(path, token):
    return requests.get(API + path, headers={"Authorization": "Bearer " + token}).json()["data"]


def whoami(token):
    me = _get("/me", token)
    user = _get(f"/users/{me['id']}", token)
    return {"id": user["id"], "roles": sorted(user["roles"]), "district": user["district"]}


def is_staff(token):
    return bool(STAFF_ROLES & set(whoami(token)["roles"]))
