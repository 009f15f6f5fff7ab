# coding: utf-8
"""Clever API (vendored copy of a client generated from the v3.1 OpenAPI document).

API version: 3.1.0
"""

from app.vendor.clever.api_client import ApiClient
from app.vendor.clever.apis.users_api import UsersApi
from app.vendor.clever.configuration import Configuration
