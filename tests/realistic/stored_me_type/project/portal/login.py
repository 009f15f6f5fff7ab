import requests

ME_URL = "https://api.clever.com/v2.0/me"


def fetch_me(token):
    reply = requests.get(ME_URL, headers={"Authorization": "Bearer " + token})
    return reply.json()


class Account:
    """Built by the web layer from the /me body it was handed."""

    def __init__(self, body, token):
        self.token = token
        self.uid = body["data"]["id"]
        self.user_type = body["data"]["type"]
        self.url = None
        if self.user_type in ("student", "teacher", "district_admin"):
            self.url = "https://api.clever.com/v2.0/%ss/%s" % (self.user_type, self.uid)


def session_record(body):
    data = body["data"]
    return {"uid": data["id"], "kind": body["type"]}


def may_grade(record):
    # the record came back from the session store: the flow cannot see where from
    return record["type"] == "teacher"
