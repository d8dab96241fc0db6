"""The jury's pages: the jurors' entries and score sheets, the chair's results and
deliberation, the public laureates."""

from django.urls import path

from . import views, views_chair, views_public

urlpatterns = [
    path("jury/", views.jury_entries, name="jury-entries"),
    path("jury/entries/<int:pk>/", views.jury_entry, name="jury-entry"),
    path("jury/entries/<int:pk>/declaration/", views.jury_declaration, name="jury-declaration"),
    path("jury/entries/<int:pk>/scores/<str:code>/", views.jury_score, name="jury-score"),
    path("jury/entries/<int:pk>/submit/", views.jury_submit, name="jury-submit"),
    path("juries/<int:pk>/", views_chair.jury_detail, name="jury-detail"),
    path("juries/<int:pk>/remind/", views_chair.jury_remind, name="jury-remind"),
    path("juries/<int:pk>/close/", views_chair.jury_close, name="jury-close"),
    path("score-sheets/<int:pk>/reopen/", views_chair.sheet_reopen, name="sheet-reopen"),
    path(
        "deliberations/<int:pk>/record.csv", views_chair.deliberation_csv, name="deliberation-csv"
    ),
    path(
        "deliberations/<int:pk>/record.pdf", views_chair.deliberation_pdf, name="deliberation-pdf"
    ),
    path(
        "campaigns/<int:pk>/publish-results/",
        views_chair.campaign_publish_results,
        name="campaign-publish-results",
    ),
    path("laureates/", views_public.laureates, name="laureates"),
    path("laureates/<int:pk>/", views_public.campaign_laureates, name="campaign-laureates"),
]
