# coding: utf-8

from app.vendor.clever.api_client import ApiClient


class UsersApi(object):
    def __init__(self, api_client=None):
        self.api_client = api_client or ApiClient()

    def get_users(self, **kwargs):
        return self.api_client.call_api("/users", "GET", query_params=kwargs, response_type="UsersResponse")

    def get_user(self, id, **kwargs):
        return self.api_client.call_api(
            "/users/{id}", "GET", path_params={"id": id}, query_params=kwargs, response_type="UserResponse"
        )

    def get_sections_for_user(self, id, **kwargs):
        return self.api_client.call_api(
            "/users/{id}/sections", "GET", path_params={"id": id}, query_params=kwargs, response_type="SectionsResponse"
        )
