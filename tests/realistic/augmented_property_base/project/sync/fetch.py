import httpx

from sync import config


def people(kind, token):
    url = config.CONFIG.root
    url += "/"
    url += kind
    with httpx.Client(headers={"Authorization": "Bearer " + token}) as client:
        return client.get(url).json()["data"]


def nightly(token):
    return people("students", token) + people("teachers", token)
