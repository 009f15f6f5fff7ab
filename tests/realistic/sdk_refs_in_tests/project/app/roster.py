import clever


class Roster:
    def __init__(self, token):
        configuration = clever.Configuration()
        configuration.access_token = token
        self.clever_api = clever.DataApi(clever.ApiClient(configuration))

    def pages(self, method, **kwargs):
        starting_after = None
        while True:
            page = method(limit=100, starting_after=starting_after, **kwargs)
            if not page.data:
                return
            yield from page.data
            starting_after = page.data[-1].data.id

    def learners(self):
        return list(self.pages(self.clever_api.get_students))

    def list_for(self, group):
        return list(self.pages(self.clever_api.get_sections_for_school, id=group))
