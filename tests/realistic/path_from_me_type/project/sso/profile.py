import requests

API = "https://api.clever.com/v2.1"


def _get(path, token):
    return requests.get(API + path, headers={"Authorization": "Bearer " + token}).json()["data"]


def profile(token):
    me = _get("/me", token)
    return _get("/%ss/%s" % (me["type"], me["id"]), token)


def profile_sections(token):
    me = _get("/me", token)
    kind = me["type"]
    return _get(f"/{kind}s/{me['id']}/sections", token)
