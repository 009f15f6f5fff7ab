from portal.identity import whoami


def landing(request, token):
    identity = whoami(token)
    request.session["clever_kind"] = identity["kind"]
    if identity["kind"] == "teacher":
        return "teacher-dashboard"
    return "student-home"


def can_grade(request):
    return request.session["clever_kind"] in ("teacher", "district_admin")
