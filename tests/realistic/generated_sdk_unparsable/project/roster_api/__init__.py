from roster_api.api_client import ApiClient
from roster_api.configuration import Configuration
