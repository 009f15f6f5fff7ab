"""A thin Clever Data API client on top of requests."""

import logging

import requests

from . import settings

log = logging.getLogger(__name__)


class CleverError(Exception):
    pass


class CleverClient:
    """Talks to one district through its district-app token."""

    def __init__(self, token, base_url=settings.CLEVER_API_BASE, session=None):
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()

    def _get(self, path, **params):
        response = self.session.get(
            self.base_url + path,
            headers={"Authorization": "Bearer " + self.token},
            params=params,
            timeout=30,
        )
        if response.status_code != 200:
            raise CleverError("GET %s failed with %s" % (path, response.status_code))
        return response.json()

    def paginate(self, path, limit=settings.PAGE_SIZE):
        """Yield every record of a list endpoint, following the `next` links."""
        page = self._get(path, limit=limit)
        while True:
            for item in page["data"]:
                yield item["data"]
            next_links = [link["uri"] for link in page["links"] if link["rel"] == "next"]
            if not next_links:
                return
            # Links are relative to the API host ("/v2.1/students?starting_after=...").
            page = self.session.get(
                settings.CLEVER_API_HOST + next_links[0],
                headers={"Authorization": "Bearer " + self.token},
                timeout=30,
            ).json()

    # -- districts and schools ---------------------------------------------------------
    def district(self):
        return next(self.paginate("/districts"))

    def schools(self):
        return list(self.paginate("/schools"))

    # -- people ------------------------------------------------------------------------
    def students(self):
        return self.paginate("/students")

    def teachers(self):
        return self.paginate("/teachers")

    def school_admins(self):
        return self.paginate("/school_admins")

    def student(self, student_id):
        return self._get("/students/" + student_id)["data"]

    def teacher(self, teacher_id):
        return self._get("/teachers/{}".format(teacher_id))["data"]

    def student_contacts(self, student_id):
        return self._get(f"/students/{student_id}/contacts")["data"]

    def admin_schools(self, admin_id):
        path = "/school_admins/" + admin_id + "/schools"
        return self._get(path)["data"]

    # -- sections ----------------------------------------------------------------------
    def teacher_sections(self, teacher_id):
        return self._get("/teachers/%s/sections" % teacher_id)["data"]

    def section_students(self, section_id):
        return self._get("/sections/{section}/students".format(section=section_id))["data"]
