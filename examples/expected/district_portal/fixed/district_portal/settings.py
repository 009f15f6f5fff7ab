"""Django settings for the district portal (the Clever part)."""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only")
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.sessions", "portal"]
ROOT_URLCONF = "district_portal.urls"

CLEVER_CLIENT_ID = os.environ.get("CLEVER_CLIENT_ID", "")
CLEVER_CLIENT_SECRET = os.environ.get("CLEVER_CLIENT_SECRET", "")
CLEVER_API_BASE = os.environ.get("CLEVER_API_BASE", "https://api.clever.com/v2.1")
CLEVER_TOKEN_URL = "https://clever.com/oauth/tokens"
CLEVER_REDIRECT_URI = "https://portal.example.org/sso/clever/callback"
