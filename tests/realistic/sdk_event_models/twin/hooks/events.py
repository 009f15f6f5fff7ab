import requests

API = "https://api.clever.com/v3.1"


def handle(event):
    if event["type"] == "users.created" and "student" in event["data"]["object"]["roles"]:
        return "enrol"
    if event["type"] == "users.deleted":
        return "remove-user"
    if event["type"] == "users.updated":
        return "update-user"
    return None


def events(token):
    return requests.get(API + "/events", headers={"Authorization": "Bearer " + token}).json()["data"]
