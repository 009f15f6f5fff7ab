"""Clever roster client of the district sync service (v3.1)."""

import logging

import requests

log = logging.getLogger(__name__)


class CleverClient:
    def __init__(self, config):
        self.base = config.get("base_url", "https://api.clever.com")
        self.version = config.get("api_version", "v3.1")
        self.token = config["token"]

    def _make_request(self, endpoint, params=None):
        url = f"{self.base}/{self.version}/{endpoint}"
        log.debug("GET %s", url)
        response = requests.get(url, params=params or {}, headers={"Authorization": f"Bearer {self.token}"})
        response.raise_for_status()
        return response.json()

    def students(self, school_id=None):
        params = {"limit": 500, "role": "student"}
        if school_id:
            params["where"] = school_id
        return self._make_request("users", params)

    def teachers(self):
        return self._make_request("users", {"limit": 500, "role": "teacher"})

    def student(self, student_id):
        return self._make_request(f"users/{student_id}")

    def sections(self):
        return self._make_request("sections", {"limit": 500})
