import os

CLEVER_BASE = os.environ.get("CLEVER_BASE", "https://api.clever.com/v2.1")
TIMEOUT = 20
