from portal.identity import whoami


def landing(request, token):
    identity = whoami(token)
    request.session["clever_roles"] = identity["roles"]
    if "teacher" in identity["roles"]:
        return "teacher-dashboard"
    return "student-home"


def can_grade(request):
    return bool({"teacher", "district_admin"} & set(request.session["clever_roles"]))
