"""The bare-ORM views the benchmark holds the application to: the same rows for the same user
with nothing but the access rule (one UNION of guardian's two permission tables, or else a
referred dossier for a committee member), values(), a COUNT, json.dumps and 25 a page.
Served only by the bench's URL conf (`bench.urls`), behind the project's middleware like
every other view.

The API's list and detail have theirs (`dossier_list`, `dossier_detail`); a web page shows
more rows than the API's answer, and its baseline reads those too: the dossier page
(`dossier_detail` with `?page=1`) and each role's dashboard (`dashboard`).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpResponse, JsonResponse

from audits.models import (
    Assessment,
    Assignment,
    CorrectiveAction,
    Finding,
    InformationRequest,
    IssuedReport,
    Surveillance,
)
from certification import next_steps, roles
from certification.models import (
    Award,
    Campaign,
    Category,
    Chapter,
    Collectivity,
    Criterion,
    CriterionResponse,
    Dossier,
    DossierGroupObjectPermission,
    DossierUserObjectPermission,
    Level,
    TransitionLog,
)
from certification.views.dashboard import MANAGER_REQUESTS, PENDING_LIMIT
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
    visible = Q(pk__in=_granted_ids(user))
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
        data |= _page_rows(dossier, findings=bool(data["findings"]))
        data["assignments"] = list(
            Assignment.objects.filter(dossier_id=pk).order_by("id")
            .values("id", "auditor__username", "role", "has_conflict", "declared_at", "ended_at")
        )  # fmt: skip
        data["history"] = list(
            TransitionLog.objects.filter(dossier_id=pk).order_by("at", "id")
            .values("transition", "source", "target", "actor__username", "at", "comment", "hash")
        )  # fmt: skip
    return _json(data)


def _page_rows(dossier: dict, findings: bool) -> dict:
    """What the web page shows beyond the API's detail: the referential's chapters and
    levels, the assessments, every version of every file, the issued reports, the findings'
    corrective actions and the certificate's surveillances."""
    pk, referential = dossier["id"], dossier["referential_id"]
    rows = {
        "chapters": list(Chapter.objects.filter(referential_id=referential)
                         .order_by("order", "code").values("id", "code", "title")),
        "levels": list(Level.objects.filter(referential_id=referential)
                       .order_by("min_score").values("code", "name", "min_score", "max_score")),
        "assessments": list(Assessment.objects.filter(dossier_id=pk).values(
            "criterion_id", "rating", "points", "comment", "assessor__username", "updated_at")),
        "files": list(Document.objects.filter(dossier_id=pk)
                      .order_by("criterion__order", "criterion__code", "-version")
                      .values("id", "criterion__code", "filename", "size", "content_type",
                              "scan_status", "version", "is_current", "uploaded_by__username",
                              "uploaded_at")),
    }  # fmt: skip
    if dossier["report__issued_at"]:
        rows["issued_reports"] = list(
            IssuedReport.objects.filter(dossier_id=pk)
            .order_by("-version")
            .values("version", "issued_at")
        )
    if findings:
        rows["corrective_actions"] = list(
            CorrectiveAction.objects.filter(finding__dossier_id=pk).order_by("submitted_at", "id")
            .values("finding_id", "plan", "submitted_by__username", "submitted_at", "review",
                    "review_reason", "reviewed_by__username", "reviewed_at")
        )  # fmt: skip
    if dossier["certificate__certificate_number"]:
        rows["surveillances"] = list(
            Surveillance.objects.filter(dossier_id=pk).order_by("due_date", "id")
            .values("id", "due_date", "state", "auditor__username", "outcome", "concluded_at")
        )  # fmt: skip
    return rows


def dashboard(request):
    """The rows of the user's dashboard: their list's page (with each dossier's answers,
    criteria and earliest due date), the collectivities and open campaigns they may open a
    dossier for, the open information requests on their dossiers and, by role, the dossiers
    waiting on the collectivity, the auditor's current assignments, the committee's queue,
    or the manager's campaigns and categories. The manager's cached figures are not read."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"detail": "Sign in."}, status=401)
    visible = visible_dossiers(user)
    page = list(visible.order_by("-created_at", "-id").values(*LIST_FIELDS)[:PAGE_SIZE])
    data = {"count": visible.count(), "results": page}
    groups = set(user.groups.values_list("name", flat=True))
    manager = user.is_staff and user.has_perm(roles.MANAGE)
    if any(g.startswith("collectivity-") for g in groups):
        data["waiting"] = list(
            visible.filter(state__in=next_steps.COLLECTIVITY_ACTS)
            .order_by("updated_at", "id").values(*LIST_FIELDS)[:10]
        )  # fmt: skip
    ids = [row["id"] for row in page + data.get("waiting", [])]
    data["details"] = list(
        Dossier.objects.filter(pk__in=ids).values("pk").annotate(
            answered=Subquery(_count(CriterionResponse.objects.filter(dossier=OuterRef("pk"))
                                     .exclude(answer=""), "dossier")),
            criteria=Subquery(_count(Criterion.objects.filter(
                referential=OuterRef("referential")), "referential")),
            due=Subquery(InformationRequest.objects.filter(dossier=OuterRef("pk"),
                         answered_at__isnull=True).order_by("due_date").values("due_date")[:1]),
        )
    )  # fmt: skip
    referent_of = list(
        Collectivity.objects.filter(memberships__user=user, memberships__role="referent")
        .order_by("name").values("id", "name")
    )  # fmt: skip
    if referent_of:
        data["referent_of"] = referent_of
        data["campaigns"] = _open_campaigns()
    requests = InformationRequest.objects.filter(answered_at__isnull=True)
    if not manager:
        # No committee rule: information requests are asked before any referral.
        requests = requests.filter(dossier_id__in=_granted_ids(user))
    limit = MANAGER_REQUESTS if manager else PENDING_LIMIT  # what the page shows
    data["open_requests"] = list(
        requests.order_by("due_date", "id").values(
            "id", "dossier_id", "dossier__collectivity__name", "dossier__campaign__name",
            "question", "due_date", "asked_by__username", "asked_at")[:limit]
    )  # fmt: skip
    if roles.AUDITORS_GROUP in groups:
        data["work"] = list(
            Assignment.objects.filter(auditor=user, ended_at__isnull=True)
            .order_by("assigned_at", "id")
            .values("id", "role", "has_conflict", "declared_at", "dossier_id",
                    "dossier__state", "dossier__collectivity__name", "dossier__campaign__name",
                    "dossier__campaign__scheme__kind")
            .annotate(
                assessed=Subquery(_count(Assessment.objects.filter(
                    dossier=OuterRef("dossier")), "dossier")),
                criteria=Subquery(_count(Criterion.objects.filter(
                    referential=OuterRef("dossier__referential")), "referential")),
            )[:200]
        )  # fmt: skip
    if roles.COMMITTEE_GROUP in groups:
        data["to_decide"] = list(
            Dossier.objects.filter(state="committee_review", referred_at__isnull=False)
            .exclude(Exists(Assignment.objects.filter(dossier=OuterRef("pk"), auditor=user)))
            .order_by("referred_at", "id").values(*LIST_FIELDS, "referred_at")[:50]
        )  # fmt: skip
    if manager:
        campaigns = list(Campaign.objects.order_by("-opens_at", "id")
                         .values("id", "name", "year", "opens_at", "closes_at",
                                 "scheme__kind")[:100])  # fmt: skip
        data["campaigns"] = campaigns
        data["categories"] = list(
            Category.objects.filter(campaign_id__in=[c["id"] for c in campaigns])
            .order_by("campaign_id", "min_population", "code").values("id", "campaign_id", "name")
        )  # fmt: skip
    return _json(data)


def _count(rows: QuerySet, by: str) -> QuerySet:
    """A correlated subquery counting `rows` grouped by `by`."""
    return rows.order_by().values(by).annotate(n=Count("id")).values("n")


def _granted_ids(user) -> QuerySet:
    """The ids of the dossiers the user's permission rows name: one UNION of guardian's two
    tables (no committee rule)."""
    by_user = DossierUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW
    ).values("content_object_id")
    by_group = DossierGroupObjectPermission.objects.filter(
        group__user=user, permission__codename=VIEW
    ).values("content_object_id")
    return by_user.union(by_group)


def _open_campaigns() -> list[dict]:
    from django.utils import timezone

    now = timezone.now()
    campaigns = list(Campaign.objects.filter(opens_at__lte=now, closes_at__gt=now)
                     .values("id", "name", "year", "scheme__name", "scheme__kind"))  # fmt: skip
    categories = Category.objects.filter(campaign_id__in=[c["id"] for c in campaigns])
    return [campaigns, list(categories.values("id", "campaign_id", "code", "name",
                                              "min_population", "max_population"))]  # fmt: skip


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
