import requests

from district_sync.config import CLEVER

SEGMENTS = {"student": "students", "teacher": "teachers"}


class RosterClient:
    def __init__(self, token, base_url=CLEVER["base_url"]):
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"}

    def _get(self, resource, **params):
        url = self.base_url + resource
        return requests.get(url, headers=self.headers, params=params, timeout=CLEVER["timeout"]).json()

    def people(self, role):
        return self._get(SEGMENTS[role])

    def people_like_users(self, role):
        return self._get("users".replace("users", SEGMENTS[role]))

    def sections(self):
        return self._get("sections")
