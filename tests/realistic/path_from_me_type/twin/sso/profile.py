import requests

API = "https://api.clever.com/v3.1"


def _get(path, token):
    return requests.get(API + path, headers={"Authorization": "Bearer " + token}).json()["data"]


def profile(token):
    me = _get("/me", token)
    return _get("/users/%s" % me["id"], token)


def profile_sections(token):
    me = _get("/me", token)
    return _get(f"/users/{me['id']}/sections", token)
