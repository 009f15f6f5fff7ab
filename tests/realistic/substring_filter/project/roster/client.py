import requests

BASE = "https://api.clever.com/v3.1"


class RosterClient:
    """Reads sections only: people are synced by another service."""

    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path):
        if "/students" in path or path.startswith("/teachers"):
            raise PermissionError(f"{path}: people data is synced elsewhere")
        return self.session.get(BASE + path).json()["data"]

    def sections(self):
        return self.get("/sections")

    def section_teachers(self, section_id):
        return self.get(f"/sections/{section_id}/teachers")
