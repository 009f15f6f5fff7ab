"""Clever roster client of the district sync service."""

import logging

import requests

log = logging.getLogger(__name__)


class CleverClient:
    def __init__(self, config):
        self.base = config.get("base_url", "https://api.clever.com")
        self.version = config.get("api_version", "v2.1")
        self.token = config["token"]

    def _make_request(self, endpoint, params=None):
        url = f"{self.base}/{self.version}/{endpoint}"
        log.debug("GET %s", url)
        response = requests.get(url, params=params or {}, headers={"Authorization": f"Bearer {self.token}"})
        response.raise_for_status()
        return response.json()

    def students(self, school_id=None):
        params = {"limit": 500}
        if school_id:
            params["where"] = school_id
        return self._make_request("students", params)

    def teachers(self):
        return self._make_request("teachers", {"limit": 500})

    def student(self, student_id):
        return self._make_request(f"students/{student_id}")

    def sections(self):
        return self._make_request("sections", {"limit": 500})
