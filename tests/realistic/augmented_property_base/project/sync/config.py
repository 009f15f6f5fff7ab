class ApiConfig:
    def __init__(self):
        self._root = b"https://api.clever.com/v2.0".decode("ascii")

    @property
    def root(self):
        return self._root


CONFIG = ApiConfig()
