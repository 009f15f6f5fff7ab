# coding: utf-8


class Configuration(object):
    def __init__(self):
        self.host = "https://api.clever.com/v3.1"
        self.api_key = {}
        self.access_token = ""
        self.verify_ssl = True
