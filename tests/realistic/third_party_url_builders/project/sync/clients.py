from string import Template

import httpx
from yarl import URL

CLEVER = "https://api.clever.com/v2.1"


def httpx_students(token):
    with httpx.Client(base_url=CLEVER, headers={"Authorization": "Bearer " + token}) as client:
        return client.get("/students").json()["data"]


def yarl_teachers(session):
    url = URL(CLEVER) / "teachers"
    return session.get(str(url)).json()["data"]


def template_contacts(session):
    url = Template("$base/contacts").substitute(base=CLEVER)
    return session.get(url).json()["data"]
