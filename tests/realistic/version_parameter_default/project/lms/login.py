from lms.clever_api import me


def account_kind(token):
    info = me(token)["data"]
    if info["type"] == "teacher":
        return "instructor"
    return "learner"
