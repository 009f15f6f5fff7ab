# coding: utf-8


class Configuration(object):
    def __init__(self):
        self.host = "https://api.clever.com/v2.0"
        self.api_key = {}
        self.access_token = ""
        self.verify_ssl = True
