import requests

from rostering.settings import PROVIDERS


class RosterReader:
    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def collection(self, name):
        url = f"{PROVIDERS['clever']['api']}/{name}"
        return self.session.get(url, timeout=PROVIDERS["clever"]["timeout"]).json()["data"]

    def pupils(self):
        return self.collection("students")

    def staff(self):
        return self.collection("teachers")
