# coding: utf-8

from app.vendor.clever.api_client import ApiClient


class DataApi(object):
    def __init__(self, api_client=None):
        self.api_client = api_client or ApiClient()

    def get_students(self, **kwargs):
        return self.api_client.call_api("/students", "GET", query_params=kwargs, response_type="StudentsResponse")

    def get_student(self, id, **kwargs):
        return self.api_client.call_api(
            "/students/{id}", "GET", path_params={"id": id}, query_params=kwargs, response_type="StudentResponse"
        )

    def get_sections_for_teacher(self, id, **kwargs):
        return self.api_client.call_api(
            "/teachers/{id}/sections", "GET", path_params={"id": id}, query_params=kwargs, response_type="SectionsResponse"
        )

    def get_schools(self, **kwargs):
        return self.api_client.call_api("/schools", "GET", query_params=kwargs, response_type="SchoolsResponse")
