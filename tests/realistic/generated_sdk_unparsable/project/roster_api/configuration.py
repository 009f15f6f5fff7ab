class Configuration:
    def __init__(self):
        self.host = "https://api.clever.com/v2.0"
        self.access_token = ""
        self.verify_ssl = True
