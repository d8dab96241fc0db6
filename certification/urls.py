from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier-detail"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
