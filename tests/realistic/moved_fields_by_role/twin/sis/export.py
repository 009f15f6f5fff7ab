import requests

API = "https://api.clever.com/v3.1"


def get(path, token):
    return requests.get(API + path, headers={"Authorization": "Bearer " + token}).json()["data"]


def export_pair(student_user_id, teacher_user_id, token):
    record = get(f"/users/{student_user_id}", token)
    student_row = [record["roles"]["student"]["sis_id"], record["roles"]["student"]["grade"]]
    record = get(f"/users/{teacher_user_id}", token)
    teacher = record["roles"]["teacher"]
    teacher_row = [teacher["sis_id"], teacher["teacher_number"], teacher["title"]]
    return student_row, teacher_row
