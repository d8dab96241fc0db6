"""The project's URL conf plus the bare views: the ROOT_URLCONF of the benchmark process
only, so that the bare views never exist in the application itself."""

from django.urls import path

from labelflow import urls as app

from . import bare

handler404 = app.handler404
urlpatterns = [
    path("bench/bare/dossiers/", bare.dossier_list),
    path("bench/bare/dossiers/<int:pk>/", bare.dossier_detail),
    path("bench/bare/dashboard/", bare.dashboard),
    path("bench/bare/registry/", bare.registry_list),
    *app.urlpatterns,
]
