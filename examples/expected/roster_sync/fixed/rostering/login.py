"""Clever Instant Login: exchange the code, ask /me who this is, open a session."""

import requests
from flask import Blueprint, redirect, request, session

from . import settings

bp = Blueprint("clever_login", __name__)


def fetch_me(access_token):
    response = requests.get(
        settings.CLEVER_ME_URL,
        headers={"Authorization": "Bearer " + access_token},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["data"]


@bp.route("/oauth/clever")
def callback():
    token = exchange_code(request.args["code"])
    me = fetch_me(token)
    session["clever_user"] = me
    user_type = me["type"]
    if user_type == "teacher":
        return redirect("/teachers/dashboard")
    elif user_type == "student":
        return redirect("/students/home")
    return redirect("/")


def is_school_admin():
    return session["clever_user"]["type"] in ("school_admin", "district_admin")


def exchange_code(code):
    response = requests.post(
        settings.CLEVER_OAUTH_TOKEN_URL,
        data={"code": code, "grant_type": "authorization_code", "redirect_uri": settings.REDIRECT_URI},
    )
    return response.json()["access_token"]
