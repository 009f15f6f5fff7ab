import requests

API = "https://api.clever.com/v3.1"


class Roster:
    def __init__(self, token):
        self.headers = {"Authorization": "Bearer " + token}

    def pages(self, path, **params):
        url = API + path
        while url:
            body = requests.get(url, headers=self.headers, params=params).json()
            yield from body["data"]
            nxt = [link["uri"] for link in body.get("links", []) if link["rel"] == "next"]
            url = "https://api.clever.com" + nxt[0] if nxt else None
            params = {}

    def learners(self):
        return list(self.pages("/users", role="student"))

    def list_for(self, group):
        return list(self.pages(f"/schools/{group}/sections"))
