from django.urls import path

from portal import views

urlpatterns = [
    path("sso/clever/callback", views.clever_callback),
    path("teachers/<str:teacher_id>/", views.teacher_page),  # our own page, not Clever's
]
