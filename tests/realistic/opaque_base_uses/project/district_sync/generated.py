from district_sync.config import CLEVER


def make_api(api_client_class):
    return api_client_class(host=CLEVER["base_url"])
