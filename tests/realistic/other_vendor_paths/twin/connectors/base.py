import requests


class RosterConnector:
    base_url = ""
    token = ""

    def get(self, path, **params):
        response = requests.get(self.base_url + path, params=params, headers={"Authorization": "Bearer " + self.token})
        response.raise_for_status()
        return response.json()
