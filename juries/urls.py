"""The jury's pages: the jurors' entries and score sheets, the chair's results and
deliberation, the public laureates."""

from django.urls import path  # noqa: F401  (the routes are added with their views)

urlpatterns = []
