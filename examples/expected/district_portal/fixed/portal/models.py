from django.db import models


class Teacher(models.Model):
    clever_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)


class Section(models.Model):
    clever_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    teacher = models.ForeignKey(Teacher, null=True, on_delete=models.SET_NULL)
