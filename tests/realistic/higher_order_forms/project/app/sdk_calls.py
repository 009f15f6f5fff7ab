import clever

configuration = clever.Configuration()
api = clever.DataApi(clever.ApiClient(configuration))
KINDS = ("students", "teachers")


def fetch_all():
    out = {}
    for kind in KINDS:
        out[kind] = getattr(api, f"get_{kind}")(limit=100)
    return out
