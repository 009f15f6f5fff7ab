import re

import requests


class DistrictSync:
    api_root = "https://api.clever.com"

    def __init__(self, token):
        self.token = token

    @classmethod
    def url_for(cls, resource):
        path = resource if resource.startswith("/") else "/" + resource
        if re.match(r"/v\d\.\d/", path):
            return cls.api_root + path
        return cls.api_root + "/v3.1" + path

    def read(self, resource):
        reply = requests.get(self.url_for(resource), headers={"Authorization": "Bearer " + self.token})
        reply.raise_for_status()
        return reply.json()

    def whoami(self):
        body = requests.get(self.url_for("/me"), headers={"Authorization": "Bearer " + self.token}).json()
        return body["data"]["id"], body["links"][1]["uri"]

    def sections_of(self, user_id):
        return self.read("/users/%s/sections" % user_id)["data"]

    def schools(self):
        return self.read("schools")["data"]
