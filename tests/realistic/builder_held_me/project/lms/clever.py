import os

import requests

TOKEN_URL = "https://clever.com/oauth/tokens"


class CleverAPI:
    base_url = os.environ["CLEVER_API_HOST"]

    @classmethod
    def request(cls, token, path):
        url = cls.base_url + "/v2.0" + path
        return requests.get(url, headers={"Authorization": "Bearer " + token}).json()

    @classmethod
    def me(cls, token):
        return cls.request(token, "/me")["data"]

    @classmethod
    def teacher_sections(cls, token, teacher_id):
        return cls.request(token, "/teachers/%s/sections" % teacher_id)["data"]

    @classmethod
    def school(cls, token, school_id):
        return cls.request(token, "/schools/" + school_id)["data"]

    KINDS = {"learners": "students", "staff": "teachers"}

    @classmethod
    def people(cls, token, kind):
        return cls.request(token, "/" + cls.KINDS[kind])["data"]
