import clever

configuration = clever.Configuration()
configuration.access_token = "token"
api = clever.DataApi(clever.ApiClient(configuration))

FETCHERS = {
    "students": api.get_students,
    "teachers": api.get_teachers,
}


def paged(fetch, **kwargs):
    response = fetch(limit=100, **kwargs)
    return [item.data for item in response.data]


def all_students():
    fetch = api.get_students
    return paged(fetch)


def sections_of_teacher(teacher_id):
    return paged(api.get_sections_for_teacher, id=teacher_id)
