import requests

import schoology_sdk


class SchoologyConnector:
    def __init__(self, options):
        self.schoology_api = schoology_sdk.Client(options["key"], options["secret"])
        self.base = options.get("host")

    def fetch(self, url):
        counts_people = "/students" in url or "/teachers" in url
        page = self.schoology_api.request(url)
        return page, counts_people


class CleverConnector:
    def __init__(self, options):
        self.host = options.get("host") or "https://api.clever.com/v3.1/"
        self.token = options["token"]

    def fetch(self, url):
        counts_people = "/users" in url
        reply = requests.get(url, headers={"Authorization": "Bearer " + self.token})
        return reply.json()["data"], counts_people

    def urls_for(self, group, kind):
        prefix = group + "/{}/" if group else ""
        url = self.host + prefix + "users"
        if kind in ("student", "teacher"):
            return [url + "?role=" + kind]
        return [url]
