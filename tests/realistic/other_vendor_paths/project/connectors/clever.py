from connectors.base import RosterConnector


class CleverConnector(RosterConnector):
    base_url = "https://api.clever.com/v2.1"

    def students(self):
        return self.get("/students")["data"]
