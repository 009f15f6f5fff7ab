# coding: utf-8

import json

import requests

from app.vendor.clever.configuration import Configuration


class ApiClient(object):
    def __init__(self, configuration=None):
        if configuration is None:
            configuration = Configuration()
        self.configuration = configuration
        self.session = requests.Session()

    def call_api(self, resource_path, method, path_params=None, query_params=None, response_type=None):
        for name, value in (path_params or {}).items():
            resource_path = resource_path.replace("{%s}" % name, str(value))
        url = self.configuration.host + resource_path
        headers = {"Authorization": "Bearer " + self.configuration.access_token}
        response = self.session.request(method, url, params=query_params, headers=headers)
        return json.loads(response.text)
