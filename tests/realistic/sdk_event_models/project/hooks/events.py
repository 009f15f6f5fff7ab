import clever
from clever.models import StudentsCreated, TeachersDeleted


def events_api(token):
    configuration = clever.Configuration()
    configuration.access_token = token
    return clever.EventsApi(clever.ApiClient(configuration))


def handle(event):
    if isinstance(event, StudentsCreated):
        return "enrol"
    if isinstance(event, TeachersDeleted):
        return "remove-teacher"
    if type(event).__name__ == "TeachersUpdated":
        return "update-teacher"
    return None
