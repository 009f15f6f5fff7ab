"""Nightly roster export through the clever-python SDK (DataApi)."""

import clever
from clever.rest import ApiException

from .config import api_client


class RosterExport:
    def __init__(self, token):
        self.api = clever.DataApi(api_client(token))

    def students(self):
        starting_after = None
        while True:
            page = self.api.get_students(limit=500, starting_after=starting_after)
            if not page.data:
                return
            for response in page.data:
                student = response.data
                yield {
                    "clever_id": student.id,
                    "sis_id": student.sis_id,
                    "grade": student.grade,
                    "school": student.school,
                }
            starting_after = page.data[-1].data.id

    def teachers_with_sections(self):
        for response in self.api.get_teachers().data:
            teacher = response.data
            sections = self.api.get_sections_for_teacher(teacher.id).data
            yield teacher.id, [section.data.id for section in sections]

    def guardians(self, student_id):
        try:
            contacts = self.api.get_contacts_for_student(student_id).data
        except ApiException:
            return []
        return [
            {"contact_id": c.data.id, "relationship": c.data.relationship, "phone": c.data.phone}
            for c in contacts
        ]

    def school_admin(self, admin_id):
        return self.api.get_school_admin(admin_id).data
