"""The SDK's configuration: one ApiClient per district token."""

import os

import clever

CLEVER_HOST = os.environ.get("CLEVER_HOST", "https://api.clever.com/v2.0")


def api_client(token):
    configuration = clever.Configuration()
    configuration.host = CLEVER_HOST
    configuration.access_token = token
    return clever.ApiClient(configuration)
