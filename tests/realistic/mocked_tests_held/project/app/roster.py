import requests

CLEVER_API = "https://api.clever.com/v2.1"


def students(token):
    response = requests.get(CLEVER_API + "/students", headers={"Authorization": f"Bearer {token}"})
    return [item["data"] for item in response.json()["data"]]


def student(token, student_id):
    response = requests.get(f"{CLEVER_API}/students/{student_id}", headers={"Authorization": f"Bearer {token}"})
    return response.json()["data"]


KINDS = {"learner": "students", "educator": "teachers"}


def people(token, kind):
    response = requests.get(CLEVER_API + "/" + KINDS[kind], headers={"Authorization": f"Bearer {token}"})
    return response.json()["data"]
