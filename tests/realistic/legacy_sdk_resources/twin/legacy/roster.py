import requests

API = "https://api.clever.com/v3.1"


def get(path, token):
    return requests.get(API + path, headers={"Authorization": "Bearer " + token}).json()["data"]


def districts(token):
    return get("/districts", token)


def school(school_id, token):
    return get(f"/schools/{school_id}", token)


def sections(token):
    return get("/sections", token)
