"""Clever SSO: the OAuth callback logs the user in according to the role /me reports."""

import requests
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render

from .models import Teacher


def _exchange(code):
    response = requests.post(
        settings.CLEVER_TOKEN_URL,
        auth=(settings.CLEVER_CLIENT_ID, settings.CLEVER_CLIENT_SECRET),
        json={"code": code, "grant_type": "authorization_code", "redirect_uri": settings.CLEVER_REDIRECT_URI},
        timeout=20,
    )
    return response.json()["access_token"]


def clever_callback(request):
    token = _exchange(request.GET["code"])
    headers = {"Authorization": f"Bearer {token}"}
    me = requests.get("https://api.clever.com/v2.1/me", headers=headers, timeout=20).json()["data"]
    role = me["type"]
    profile = requests.get(f"{settings.CLEVER_API_BASE}/{role}s/{me['id']}", headers=headers, timeout=20).json()["data"]
    if role == "teacher":
        teacher = Teacher.objects.get(clever_id=me["id"])
        login(request, teacher.user)
        return redirect("/dashboard/")
    if role == "district_admin":
        request.session["admin_district"] = profile["district"]
        return redirect("/admin-console/")
    return HttpResponseForbidden("Students sign in through the student app")


def teacher_page(request, teacher_id):
    # our own URL (/teachers/<id>/), not a Clever call
    return render(request, "teacher.html", {"teacher": Teacher.objects.get(clever_id=teacher_id)})
