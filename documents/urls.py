from django.urls import path

from . import views

urlpatterns = [
    path("dossiers/<int:pk>/documents/", views.document_upload, name="dossier-upload"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
    path("documents/<int:pk>/status/", views.document_status, name="document-status"),
    path("reports/<int:pk>/pdf/", views.report_download, name="report-download"),
    path(
        "certificates/<str:number>/pdf/",
        views.certificate_download,
        name="certificate-download",
    ),  # fmt: skip
]
