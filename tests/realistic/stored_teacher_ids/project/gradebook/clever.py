"""Talks to Clever for the gradebook: one session, one base."""

import requests

API_ROOT = "https://api.clever.com/v2.1"


class CleverSession:
    def __init__(self, token):
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + token

    def fetch(self, url, **params):
        response = self.http.get(url, params=params, timeout=30)
        response.raise_for_status()
        return response.json()["data"]

    def teachers(self):
        return [row["data"] for row in self.fetch(API_ROOT + "/teachers", limit=100)]

    def sections_of(self, teacher_id):
        return [row["data"] for row in self.fetch(f"{API_ROOT}/teachers/{teacher_id}/sections")]
