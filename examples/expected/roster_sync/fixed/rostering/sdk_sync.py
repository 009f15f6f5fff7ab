"""The older sync, still used for the nightly contacts export: built on clever-python (v2.0)."""

import clever
from clever.rest import ApiException

configuration = clever.Configuration()
configuration.host = "https://api.clever.com/v2.0"


class ContactExport:
    def __init__(self, token):
        configuration.access_token = token
        self.api = clever.DataApi(clever.ApiClient(configuration))

    def rows(self):
        for response in self.api.get_students(limit=1000).data:
            student = response.data
            try:
                contacts = self.api.get_contacts_for_student(student.id).data
            except ApiException:
                continue
            for contact in contacts:
                yield {
                    "student_sis_id": student.sis_id,
                    "contact_id": contact.data.id,
                    "relationship": contact.data.relationship,
                }

    def teachers_by_section(self, section_id):
        return self.api.get_teachers_for_section(section_id).data
