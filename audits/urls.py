from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<int:pk>/assignments/", views.assignment_create, name="dossier-assign"),
    path("dossiers/<int:pk>/assessments/", views.assessment_record, name="dossier-assess"),
    path("assignments/<int:pk>/declare/", views.assignment_declare, name="assignment-declare"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment-end"),
    path("surveillances/<int:pk>/assign/", views.surveillance_assign, name="surveillance-assign"),
    path("surveillances/<int:pk>/checks/", views.surveillance_check, name="surveillance-check"),
    path(
        "surveillances/<int:pk>/conclude/",
        views.surveillance_conclude,
        name="surveillance-conclude",
    ),
    path(
        "corrective-actions/<int:pk>/review/",
        views.corrective_action_review,
        name="corrective-action-review",
    ),  # fmt: skip
]
