from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from audits import api as audits_api
from certification.api import views as api
from documents import api as documents_api
from juries import api as juries_api

from .health import health

router = DefaultRouter(trailing_slash=True)
router.register("campaigns", api.CampaignViewSet, basename="campaign")
router.register("collectivities", api.CollectivityViewSet, basename="collectivity")
router.register("dossiers", api.DossierViewSet, basename="dossier")
router.register("documents", documents_api.DocumentViewSet, basename="document")
router.register("assignments", audits_api.AssignmentViewSet, basename="assignment")
router.register("juries", juries_api.JuryViewSet, basename="jury")
router.register("score-sheets", juries_api.ScoreSheetViewSet, basename="score-sheet")
router.register("deliberations", juries_api.DeliberationViewSet, basename="deliberation")
router.register("surveillances", audits_api.SurveillanceViewSet, basename="surveillance")
router.register(
    "corrective-actions", audits_api.CorrectiveActionViewSet, basename="corrective-action"
)
router.register("registry", api.RegistryViewSet, basename="registry")


handler404 = "certification.api.common.not_found"
handler400 = "certification.api.common.bad_request_page"

urlpatterns = [
    path("api/v1/auth/token/", api.TokenView.as_view(), name="api-token"),
    path("api/v1/dossiers/<str:pk>/documents/", documents_api.DossierDocumentsView.as_view()),
    path(
        "api/v1/reports/<str:pk>/pdf/",
        documents_api.ReportPdfView.as_view(),
        name="api-report-pdf",
    ),  # fmt: skip
    path(
        "api/v1/certificates/<str:number>/pdf/",
        documents_api.CertificatePdfView.as_view(),
        name="api-certificate-pdf",
    ),  # fmt: skip
    path("api/v1/dossiers/<str:pk>/assignments/", audits_api.DossierAssignmentsView.as_view()),
    path("api/v1/dossiers/<str:pk>/assessments/", audits_api.DossierAssessmentsView.as_view()),
    path("api/v1/dossiers/<str:pk>/surveillances/", audits_api.DossierSurveillancesView.as_view()),
    path("api/v1/jury-entries/", juries_api.JurorEntriesView.as_view()),
    path("api/v1/dossiers/<str:pk>/declaration/", juries_api.DeclarationView.as_view()),
    path("api/v1/dossiers/<str:pk>/scores/", juries_api.ScoresView.as_view()),
    path("api/v1/dossiers/<str:pk>/scores/submit/", juries_api.SubmitScoresView.as_view()),
    path("api/v1/dossiers/<str:pk>/feedback/", juries_api.FeedbackView.as_view()),
    path("api/v1/campaigns/<str:pk>/publish-results/", juries_api.PublishResultsView.as_view()),
    path("api/v1/campaigns/<str:pk>/laureates/", juries_api.LaureatesView.as_view()),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("health/", health, name="health"),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says. Lazy: the
    # static URL is read from the storage when asked, not when the URLs are imported.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"))),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("certification.urls")),
    path("", include("audits.urls")),
    path("", include("documents.urls")),
    path("", include("juries.urls")),
]
