from roster_api.api_client import ApiClient


class DataApi(object):
    def __init__(self, api_client=None):
        self.api_client = api_client or ApiClient()

    def get_student(self, id, async=False):
        return self.api_client.call_api("/students/{id}".replace("{id}", id), "GET", async_req=async)

    def get_sections_for_teacher(self, id, async=False):
        return self.api_client.call_api("/teachers/{id}/sections".replace("{id}", id), "GET", async_req=async)
