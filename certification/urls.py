from django.urls import path

from . import views
from .views.dashboard import dashboard_bulk, dashboard_export

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dossiers/new/", views.dossier_create, name="dossier-create"),
    path("dossiers/new/categories/", views.dossier_categories, name="dossier-categories"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier-detail"),
    path("dossiers/<int:pk>/responses/<str:code>/", views.response_save, name="dossier-response"),
    path(
        "dossiers/<int:pk>/transitions/<slug:name>/",
        views.dossier_transition,
        name="dossier-transition",
    ),
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("collectivities/", views.collectivity_list, name="collectivity-list"),
    path("collectivities/<int:pk>/", views.collectivity_detail, name="collectivity-detail"),
    path("collectivities/<int:pk>/members/", views.member_add, name="collectivity-members"),
    path("dossiers/<int:pk>/renew/", views.dossier_renew, name="dossier-renew"),
    path("registry/", views.registry, name="registry"),
    path("verify/", views.verify_number, name="verify-number"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("dashboard/bulk/", dashboard_bulk, name="dashboard-bulk"),
    path("dashboard/export.csv", dashboard_export, {"fmt": "csv"}, name="dashboard-export-csv"),
    path("dashboard/export.xlsx", dashboard_export, {"fmt": "xlsx"}, name="dashboard-export-xlsx"),
]
