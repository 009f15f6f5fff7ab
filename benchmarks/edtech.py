"""An ed-tech-shaped tree, deterministic from a seed, for speed measurements (issue 16).

In an ed-tech product the domain vocabulary is student, teacher, section and school: models
and serializers named Student and Teacher, fields `student_id`, the app's own routes
`/api/v2/students/<id>`, ORM queries, template names, log messages and test fixtures with role
words. One package holds a Clever client with v2 calls, and a few modules import from it.

    python benchmarks/edtech.py --lines 150000            # build, then measure like run.py
    python benchmarks/edtech.py --lines 1000000 --seed 2
    python benchmarks/edtech.py --lines 15000 --out DIR   # only build (the suite's tree)

`build(root, lines, seed)` is imported by tests/test_prefilter.py for a 10-20k-line tree."""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

MODELS = '''"""Models of the {app} app."""

from django.db import models


class Student{n}(models.Model):
    student_id = models.CharField(max_length=64, unique=True)
    sis_id = models.CharField(max_length=64, blank=True)
    grade = models.CharField(max_length=8)
    teacher = models.ForeignKey("Teacher{n}", related_name="students", on_delete=models.CASCADE)

    class Meta:
        ordering = ["grade", "student_id"]

    def __str__(self):
        return f"Student {{self.student_id}} (grade {{self.grade}})"


class Teacher{n}(models.Model):
    teacher_id = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    role = models.CharField(max_length=16, default="teacher", choices=[("teacher", "Teacher"), ("staff", "Staff")])

    def students_in(self, section):
        return self.students.filter(section=section, role="student")

    def __str__(self):
        return f"Teacher {{self.email}}"


class Section{n}(models.Model):
    name = models.CharField(max_length=128)
    teachers = models.ManyToManyField(Teacher{n}, related_name="sections")
    students = models.ManyToManyField(Student{n}, related_name="sections")
'''

SERIALIZERS = '''"""Serializers of the {app} app."""

from rest_framework import serializers

from .models import Section{n}, Student{n}, Teacher{n}


class StudentSerializer{n}(serializers.ModelSerializer):
    class Meta:
        model = Student{n}
        fields = ["student_id", "sis_id", "grade", "teacher"]


class TeacherSerializer{n}(serializers.ModelSerializer):
    students = StudentSerializer{n}(many=True, read_only=True)

    class Meta:
        model = Teacher{n}
        fields = ["teacher_id", "email", "role", "students"]


def student_payload{n}(student):
    return {{"student_id": student.student_id, "role": "student", "teacher": student.teacher.teacher_id}}
'''

VIEWS = '''"""Views of the {app} app: the product's own API."""

import logging

from django.shortcuts import redirect, render
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Section{n}, Student{n}, Teacher{n}
from .serializers import StudentSerializer{n}, TeacherSerializer{n}

log = logging.getLogger(__name__)


@api_view(["GET"])
def student_detail{n}(request, student_id):
    student = Student{n}.objects.get(student_id=student_id)
    log.info("student %s viewed by teacher %s", student_id, request.user)
    return Response(StudentSerializer{n}(student).data)


@api_view(["GET"])
def teacher_students{n}(request, teacher_id):
    teacher = Teacher{n}.objects.get(teacher_id=teacher_id)
    students = teacher.students.filter(grade__in=["9", "10"]).order_by("student_id")
    return Response({{"teacher": teacher_id, "students": StudentSerializer{n}(students, many=True).data}})


def section_page{n}(request, section_id):
    section = Section{n}.objects.prefetch_related("students", "teachers").get(pk=section_id)
    if request.user.role not in ("teacher", "staff"):
        return redirect("/students/home/")
    return render(request, "sections/students.html", {{"section": section, "kind": "teachers"}})


urlpatterns = [
    path("api/v2/students/<str:student_id>/", student_detail{n}),
    path("api/v2/teachers/<str:teacher_id>/students/", teacher_students{n}),
    path("sections/<int:section_id>/", section_page{n}),
]
'''

TESTS = '''"""Tests of the {app} app."""

import pytest

from .models import Student{n}, Teacher{n}

STUDENT = {{"student_id": "s-{n}", "grade": "9", "role": "student"}}
TEACHER = {{"teacher_id": "t-{n}", "email": "t{n}@school.example", "role": "teacher"}}


@pytest.mark.django_db
def test_student_detail{n}(client):
    teacher = Teacher{n}.objects.create(**TEACHER)
    Student{n}.objects.create(teacher=teacher, **STUDENT)
    response = client.get("/api/v2/students/s-{n}/")
    assert response.status_code == 200
    assert response.json()["student_id"] == "s-{n}"


@pytest.mark.django_db
def test_teacher_students{n}(client):
    teacher = Teacher{n}.objects.create(**TEACHER)
    response = client.get(f"/api/v2/teachers/{{teacher.teacher_id}}/students/")
    assert response.json() == {{"teacher": "t-{n}", "students": []}}
'''

TASKS = '''"""Background jobs of the {app} app."""

import logging

from .models import Student{n}, Teacher{n}

log = logging.getLogger(__name__)


def promote_students{n}(grade):
    moved = 0
    for student in Student{n}.objects.filter(grade=grade):
        student.grade = str(int(student.grade) + 1)
        student.save(update_fields=["grade"])
        moved += 1
    log.info("promoted %d students from grade %s", moved, grade)
    return moved


def notify_teachers{n}(message):
    for teacher in Teacher{n}.objects.filter(role="teacher"):
        log.info("notify teacher %s: %s", teacher.email, message)
'''

CLIENT = '''"""Rostering from Clever (API v2.1)."""

import requests

CLEVER_API = "https://api.clever.com/v2.1"


class CleverClient:
    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + token

    def _get(self, path, **params):
        response = self.session.get(CLEVER_API + path, params=params, timeout=30)
        response.raise_for_status()
        return response.json()["data"]

    def students(self):
        return self._get("/students", limit=500)

    def teachers(self):
        return self._get("/teachers", limit=500)

    def teacher_sections(self, teacher_id):
        return self._get(f"/teachers/{teacher_id}/sections")

    def me(self):
        return self._get("/me")
'''

SYNC = '''"""Nightly roster sync from Clever."""

from integrations.clever.client import CleverClient


def sync_teachers(token, store):
    client = CleverClient(token)
    for row in client.teachers():
        teacher = row["data"]
        store.upsert_teacher(clever_id=teacher["id"], email=teacher["email"])


def login_kind(token):
    me = CleverClient(token).me()
    return "instructor" if me["type"] == "teacher" else "learner"
'''

USER = '''"""Uses the Clever integration."""

from integrations.clever.client import CleverClient


def refresh_{n}(token):
    return [row["data"]["id"] for row in CleverClient(token).students()]
'''

KINDS = [("models.py", MODELS), ("serializers.py", SERIALIZERS), ("views.py", VIEWS), ("tasks.py", TASKS)]


def build(root: Path, lines: int, seed: int) -> tuple:
    """(files, lines) of an ed-tech tree of about `lines` lines under `root`."""
    rng = random.Random(seed)
    clever = root / "integrations" / "clever"
    clever.mkdir(parents=True)
    for name, text in (("__init__.py", ""), ("client.py", CLIENT), ("sync.py", SYNC)):
        (clever / name).write_text(text)
    (root / "integrations" / "__init__.py").write_text("")
    files, written = 4, CLIENT.count("\n") + SYNC.count("\n")
    n = 0
    while written < lines:
        app = f"app{n // 8}"
        package = root / app
        if not package.is_dir():
            (package / "tests").mkdir(parents=True)
            (package / "__init__.py").write_text("")
            (package / "tests" / "__init__.py").write_text("")
        name, template = KINDS[n % len(KINDS)]
        # about 300 lines a file, as in real products: several models (views, ...) per module
        text = "\n\n".join(template.format(app=app, n=n * 10 + k) for k in range(rng.randint(6, 12)))
        if n % 8 == 7:
            tests = "\n\n".join(TESTS.format(app=app, n=n * 10 + k) for k in range(8))
            (package / "tests" / f"test_{n}.py").write_text(tests)
            written += tests.count("\n")
            files += 1
        if rng.random() < 0.03:
            text += "\n\n" + USER.format(n=n)
        (package / f"{name[:-3]}_{n}.py").write_text(text)
        written += text.count("\n")
        files += 1
        n += 1
    return files, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="only build the tree here (it must not exist)")
    args = parser.parse_args()
    if args.out:
        files, lines = build(Path(args.out), args.lines, args.seed)
        print(f"{files} files, {lines} lines in {args.out}")
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run  # the measurements of benchmarks/run.py

    with tempfile.TemporaryDirectory() as directory:
        tree = Path(directory) / "edtech"
        files, lines = build(tree, args.lines, args.seed)
        _parsed(tree)
        run.run_suite("ed-tech tree", tree, files, lines)
        run.run_precommit(tree)


def _parsed(tree: Path) -> None:
    """How many files the prefilter selects for a LibCST parse, at the default confidence."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from linter.source import prefilter

    paths = sorted(tree.rglob("*.py"))
    selection = prefilter.select(paths, lambda p: p.read_bytes(), prefilter.trigger(()))
    print(f"files selected for a parse: {len(selection.chosen)} of {len(paths)}")


if __name__ == "__main__":
    main()
