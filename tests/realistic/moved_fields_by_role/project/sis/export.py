import requests

API = "https://api.clever.com/v2.1"


def get(path, token):
    return requests.get(API + path, headers={"Authorization": "Bearer " + token}).json()["data"]


def export_pair(student_id, teacher_id, token):
    record = get(f"/students/{student_id}", token)
    student_row = [record["sis_id"], record["grade"]]
    record = get(f"/teachers/{teacher_id}", token)
    teacher_row = [record["sis_id"], record["teacher_number"], record["title"]]
    return student_row, teacher_row
