"""The app's own web routes: its URLs are not Clever's, whatever they are called."""

from flask import Flask, jsonify, redirect

from . import settings

app = Flask(__name__)


@app.route("/students")
def list_students():
    return jsonify([])


@app.route("/teachers/<teacher_id>/sections")
def teacher_sections(teacher_id):
    return jsonify([])


@app.route("/login/clever")
def login():
    # Clever sends users back here; the token exchange posts to the OAuth endpoint.
    return redirect(settings.CLEVER_OAUTH_TOKEN_URL)
