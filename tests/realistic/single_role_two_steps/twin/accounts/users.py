import requests

API = "https://api.clever.com/v3.1"


def fetch_user(user_id, token):
    return requests.get(f"{API}/users/{user_id}", headers={"Authorization": "Bearer " + token}).json()["data"]


def roles(user_id, token):
    user = fetch_user(user_id, token)
    return sorted(user["roles"].keys())


def save_account(db, user_id, token):
    user = fetch_user(user_id, token)
    db.save(user_id=user["id"], roles=sorted(user["roles"]))
