from connectors.base import RosterConnector


class CleverConnector(RosterConnector):
    base_url = "https://api.clever.com/v3.1"

    def students(self):
        return self.get("/users", role="student")["data"]
