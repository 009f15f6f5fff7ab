from connectors.base import RosterConnector

ONEROSTER_BASE = "https://sis.example.org/ims/oneroster/v1p1"


class OneRosterConnector(RosterConnector):
    base_url = ONEROSTER_BASE

    def students(self):
        return self.get("/students")["users"]

    def teachers(self):
        return self.get("/teachers")["users"]

    def teacher_classes(self, teacher_id):
        return self.get(f"/teachers/{teacher_id}/classes")["classes"]


class ClassLinkConnector(RosterConnector):
    base_url = "https://example.oneroster.com/ims/oneroster/v1p1"

    def students(self):
        return self.get("/students")["users"]
