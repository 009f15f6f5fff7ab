from app.vendor.clever import ApiClient, Configuration, UsersApi


def users_api(token):
    configuration = Configuration()
    configuration.access_token = token
    return UsersApi(ApiClient(configuration))


def student_names(token):
    return [u["data"]["name"] for u in users_api(token).get_users(role="student", limit=100)["data"]]
