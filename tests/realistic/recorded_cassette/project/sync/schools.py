import requests

CLEVER = "https://api.clever.com/v2.1"


def schools(token):
    return requests.get(CLEVER + "/schools", headers={"Authorization": f"Bearer {token}"}).json()["data"]
