"""Deployment settings, read from the environment with production defaults."""

import os

CLEVER_API_HOST = os.environ.get("CLEVER_API_HOST", "https://api.clever.com")
CLEVER_API_VERSION = "v2.1"
CLEVER_API_BASE = f"{CLEVER_API_HOST}/{CLEVER_API_VERSION}"

CLEVER_OAUTH_TOKEN_URL = "https://clever.com/oauth/tokens"
CLEVER_ME_URL = CLEVER_API_HOST + "/v2.1/me"

PAGE_SIZE = int(os.environ.get("CLEVER_PAGE_SIZE", "500"))
REDIRECT_URI = os.environ.get("CLEVER_REDIRECT_URI", "https://reading.example.com/oauth/clever")
