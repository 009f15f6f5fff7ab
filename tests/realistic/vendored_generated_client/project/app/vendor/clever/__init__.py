# coding: utf-8
"""Clever API (vendored copy of the generated client).

API version: 2.0.0
"""

from __future__ import absolute_import

from app.vendor.clever.api_client import ApiClient
from app.vendor.clever.apis.data_api import DataApi
from app.vendor.clever.configuration import Configuration
