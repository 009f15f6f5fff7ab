import requests

API = "https://api.clever.com/v3.1"


def fetch_user(user_id, token):
    return requests.get(f"{API}/users/{user_id}", headers={"Authorization": "Bearer " + token}).json()["data"]


def primary_role(user_id, token):
    user = fetch_user(user_id, token)
    kinds = list(user["roles"].keys())
    return kinds[0]


def save_account(db, user_id, token):
    user = fetch_user(user_id, token)
    role = sorted(user["roles"])[0]
    db.save(user_id=user["id"], role=role, template="dashboard_%s.html" % role)
