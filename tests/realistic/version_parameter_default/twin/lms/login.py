from lms.clever_api import get


def account_kind(token, user_id):
    user = get(f"/users/{user_id}", token)["data"]
    if "teacher" in user["roles"]:
        return "instructor"
    return "learner"
