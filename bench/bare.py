"""The bare-ORM views the benchmark holds the application to: the same rows for the same user
with nothing but the access rule (one UNION of guardian's two permission tables, or else a
referred dossier for a committee member), values(),
a COUNT, json.dumps and 25 a page. Served only by the bench's URL conf (`bench.urls`), behind
the project's middleware like every other view.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse, JsonResponse

from audits.models import Assignment, Finding, InformationRequest
from certification import roles
from certification.models import (
    Award,
    Criterion,
    CriterionResponse,
    Dossier,
    DossierGroupObjectPermission,
    DossierUserObjectPermission,
    TransitionLog,
)
from documents.models import Document

PAGE_SIZE = 25
VIEW = roles.VIEW.split(".", 1)[1]
# What the API's list shows of a dossier.
LIST_FIELDS = ("id", "collectivity_id", "collectivity__name", "campaign_id", "campaign__name",
               "campaign__scheme__code", "category__code", "state", "created_at",
               "submitted_at")  # fmt: skip
# The detail adds the report, decision and certificate: joined in the same query.
RECORD_FIELDS = (
    "referential_id", "report__recommendation", "report__level__code", "report__score",
    "report__summary", "report__issued_by__username", "report__issued_at",
    "decision__outcome", "decision__level__code", "decision__reasons",
    "decision__decided_by__username", "decision__decided_at",
    "certificate__certificate_number", "certificate__level__code", "certificate__valid_from",
    "certificate__valid_until", "certificate__status",
)  # fmt: skip


def visible_dossiers(user) -> QuerySet[Dossier]:
    """Managers see every dossier; anyone else those their user or groups may view, and a
    committee member every dossier referred to the committee."""
    if user.is_staff and user.has_perm(roles.MANAGE):
        return Dossier.objects.all()
    by_user = DossierUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW
    ).values("content_object_id")
    by_group = DossierGroupObjectPermission.objects.filter(
        group__user=user, permission__codename=VIEW
    ).values("content_object_id")
    visible = Q(pk__in=by_user.union(by_group))
    if user.groups.filter(name=roles.COMMITTEE_GROUP).exists():
        visible |= Q(referred_at__isnull=False)
    return Dossier.objects.filter(visible)


def dossier_list(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in."}, status=401)
    dossiers = visible_dossiers(request.user).order_by("-created_at", "-id")
    page = max(1, int(request.GET.get("page", 1)))
    rows = list(dossiers.values(*LIST_FIELDS)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return _json({"count": dossiers.count(), "results": rows})


def dossier_detail(request, pk: int):
    """The rows of the API's detail; with `?page=1`, also those only the web page shows
    (assignments, history)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in."}, status=401)
    dossier = (
        visible_dossiers(request.user).filter(pk=pk).values(*LIST_FIELDS, *RECORD_FIELDS).first()
    )
    if dossier is None:
        raise Http404("No such dossier.")
    data = {"dossier": dossier, **_criteria(dossier), **_findings(pk)}
    if request.GET.get("page"):
        data["assignments"] = list(
            Assignment.objects.filter(dossier_id=pk).order_by("id")
            .values("id", "auditor__username", "role", "has_conflict", "declared_at", "ended_at")
        )  # fmt: skip
        data["history"] = list(
            TransitionLog.objects.filter(dossier_id=pk).order_by("at", "id")
            .values("transition", "source", "target", "actor__username", "at", "comment", "hash")
        )  # fmt: skip
    return _json(data)


# What the public registry shows of a certificate.
REGISTRY_FIELDS = ("certificate_number", "verification_code", "dossier__collectivity__name",
                   "dossier__campaign__scheme__name", "level__name", "valid_from",
                   "valid_until", "status")  # fmt: skip


def registry_list(request):
    """The public registry: active and suspended certificates, newest first, 25 a page."""
    awards = Award.objects.filter(status__in=("active", "suspended")).order_by("-valid_from", "-id")
    page = max(1, int(request.GET.get("page", 1)))
    rows = list(awards.values(*REGISTRY_FIELDS)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return _json({"count": awards.count(), "results": rows})


def _criteria(dossier: dict) -> dict:
    pk = dossier["id"]
    return {
        "criteria": list(
            Criterion.objects.filter(referential_id=dossier["referential_id"])
            .order_by("chapter__order", "order", "code")
            .values("id", "code", "title", "guidance", "mandatory", "max_points")
        ),
        "responses": list(
            CriterionResponse.objects.filter(dossier_id=pk).values(
                "criterion_id", "answer", "self_points"
            )
        ),
        "documents": list(
            Document.objects.filter(dossier_id=pk, is_current=True, scan_status="clean")
            .values("criterion_id")
            .annotate(n=Count("id"))
        ),
    }


def _findings(pk: int) -> dict:
    return {
        "findings": list(
            Finding.objects.filter(dossier_id=pk)
            .order_by("id")
            .values("id", "criterion__code", "severity", "status", "description", "raised_at")
        ),  # fmt: skip
        "information_requests": list(
            InformationRequest.objects.filter(dossier_id=pk)
            .order_by("id")
            .values(
                "question",
                "asked_by__username",
                "asked_at",
                "answer",
                "answered_by__username",
                "answered_at",
            )
        ),  # fmt: skip
    }


def _json(data: dict) -> HttpResponse:
    return HttpResponse(json.dumps(data, cls=DjangoJSONEncoder), content_type="application/json")
