from app.vendor.clever import ApiClient, Configuration, DataApi


def data_api(token):
    configuration = Configuration()
    configuration.access_token = token
    return DataApi(ApiClient(configuration))


def student_names(token):
    return [s["data"]["name"] for s in data_api(token).get_students(limit=100)["data"]]
