import requests

ME_URL = "https://api.clever.com/me"


def current_user_id(token):
    return requests.get(ME_URL, headers={"Authorization": "Bearer " + token}).json()["data"]["id"]
