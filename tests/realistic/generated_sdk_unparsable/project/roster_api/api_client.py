import requests

from roster_api.configuration import Configuration


class ApiClient:
    def __init__(self, configuration=None):
        self.configuration = configuration or Configuration()
        self.session = requests.Session()

    def call_api(self, resource_path, method, query_params=None, async_req=False):
        url = self.configuration.host + resource_path
        headers = {"Authorization": "Bearer " + self.configuration.access_token}
        return self.session.request(method, url, params=query_params, headers=headers).json()
