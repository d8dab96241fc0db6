"""The dossier page and every action taken from it. Each POST validates a form, calls the
service, then redirects (or, when refused, shows the page again with the reason)."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits import services as audit_services
from audits.models import Assessment, Finding
from documents import services as document_services
from documents.models import Document
from labelflow.errors import DomainError, NotVisible

from .. import roles, selectors
from ..forms import (
    AssessmentForm,
    AssignmentForm,
    DocumentUploadForm,
    ResponseForm,
    TransitionForm,
)
from ..models import Dossier, Level
from ..services import dossiers as dossier_services
from ..services.transitions import TRANSITION_NAMES, perform_transition
from .common import assignment_or_404, dossier_or_404, report

DETAIL_TEMPLATE = "certification/dossier_detail.html"
CRITERION_TEMPLATE = "certification/partials/criterion.html"


@login_required
def dossier_detail(request, pk):
    dossier = dossier_or_404(request.user, pk)
    return render(request, DETAIL_TEMPLATE, dossier_context(request.user, dossier))


@login_required
@require_POST
def response_save(request, pk, code):
    dossier = dossier_or_404(request.user, pk)
    form = ResponseForm(request.POST, auto_id=f"id_{code}_%s")
    status, error = 400, None
    if form.is_valid():
        status, error = _attempt(
            lambda: dossier_services.response_save(
                dossier=dossier, criterion_code=code, answer=form.cleaned_data["answer"],
                self_points=form.cleaned_data["self_points"], by=request.user,
            )
        )  # fmt: skip
    done = _("Answer to %s saved.") % code
    return _criterion_result(request, dossier, code, f"response:{code}", form, status, error, done)


@login_required
@require_POST
def document_upload(request, pk):
    dossier = dossier_or_404(request.user, pk)
    code = request.POST.get("criterion", "")
    form = DocumentUploadForm(request.POST, request.FILES, auto_id=f"id_upload_{code}_%s")
    status, error = 400, None
    if form.is_valid():
        status, error = _attempt(
            lambda: document_services.document_upload(
                dossier=dossier, criterion_code=code, upload=form.cleaned_data["file"],
                by=request.user,
            )
        )  # fmt: skip
    done = _("Document added to %s.") % code
    return _criterion_result(request, dossier, code, f"upload:{code}", form, status, error, done)


@login_required
def document_download(request, pk):
    """Same as the API: check access to the dossier, then redirect to a short-lived URL."""
    document = Document.objects.filter(pk=pk).only("dossier_id", "key", "filename",
                                                   "scan_status").first()  # fmt: skip
    if document is None:
        raise Http404(_("No such document."))
    dossier = dossier_or_404(request.user, document.dossier_id)
    try:
        return HttpResponseRedirect(document_services.document_download_url(document=document))
    except DomainError as exc:
        return _page(request, dossier, report(request, exc))


@login_required
@require_POST
def dossier_transition(request, pk, name):
    dossier = dossier_or_404(request.user, pk)
    if name not in TRANSITION_NAMES:
        raise Http404(_("No such transition."))
    form = TransitionForm(request.POST, name=name, **_transition_choices(dossier, [name]))
    if not form.is_valid():
        return _page(request, dossier, 400, {f"transition:{name}": form})
    try:
        dossier = perform_transition(
            dossier=dossier, name=name, by=request.user, comment=form.cleaned_data["comment"],
            data=form.service_data(),
        )  # fmt: skip
    except DomainError as exc:
        return _page(request, dossier, report(request, exc), {f"transition:{name}": form})
    messages.success(
        request,
        _("Done: the dossier is now “%s”.") % Dossier.State(dossier.state).label,
    )
    if not roles.can_view(request.user, dossier):  # e.g. a withdrawn or reassigned dossier
        return redirect("dashboard")
    return _back(dossier)


@login_required
@require_POST
def assignment_end(request, pk):
    assignment = assignment_or_404(request.user, pk)
    dossier = dossier_or_404(request.user, assignment.dossier_id)
    try:
        assignment = audit_services.assignment_end(assignment=assignment, by=request.user)
    except DomainError as exc:
        return _page(request, dossier, report(request, exc))
    messages.success(request, _("%s no longer audits this dossier.") % assignment.auditor.username)
    return _back(dossier, "assignments")


@login_required
@require_POST
def assignment_create(request, pk):
    dossier = dossier_or_404(request.user, pk)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        return _page(request, dossier, 400, {"assign": form})
    try:
        assignment = audit_services.assignment_create(
            dossier=dossier, auditor_username=form.cleaned_data["auditor"],
            role=form.cleaned_data["role"], by=request.user,
        )  # fmt: skip
    except DomainError as exc:
        return _page(request, dossier, report(request, exc), {"assign": form})
    messages.success(
        request,
        _("%(auditor)s is assigned (%(role)s): they must now declare their conflicts of interest.")
        % {"auditor": assignment.auditor.username, "role": assignment.get_role_display()},
    )
    return _back(dossier, "assignments")


@login_required
@require_POST
def assessment_record(request, pk):
    dossier = dossier_or_404(request.user, pk)
    code = request.POST.get("criterion", "")
    form = AssessmentForm(request.POST, auto_id=f"id_assess_{code}_%s")
    status, error = 400, None
    if form.is_valid():
        data = form.cleaned_data
        status, error = _attempt(
            lambda: audit_services.assessment_record(
                dossier=dossier, criterion_code=code, rating=data["rating"],
                points=data["points"], comment=data["comment"], by=request.user,
            )
        )  # fmt: skip
    done = _("Assessment of %s saved.") % code
    return _criterion_result(request, dossier, code, f"assess:{code}", form, status, error, done)


def _attempt(action) -> tuple[int, str | None]:
    """Run a service call: (200, None), or the refusal's status and reason."""
    try:
        action()
    except NotVisible as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return exc.status, exc.detail
    return 200, None


def _criterion_result(request, dossier, code, key, form, status, error, done):
    """After an action on one criterion: with htmx, that criterion's block only, saying itself
    what went wrong; without, back to the page (or the page again with the reason)."""
    bound = {} if status == 200 else {key: form}
    if request.htmx:
        context = dossier_context(request.user, dossier, bound, only=code)
        if context["c"] is None:  # an unknown criterion: nothing to swap in
            return HttpResponse(error or "", status=status if status != 200 else 404)
        context.update(saved=status == 200, error=error)
        return render(request, CRITERION_TEMPLATE, context, status=status)
    if status == 200:
        messages.success(request, done)
        return _back(dossier, f"criterion-{code}")
    if error:
        messages.error(request, error)
    return _page(request, dossier, status, bound)


def _back(dossier: Dossier, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("dossier-detail", args=[dossier.pk])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _page(request, dossier: Dossier, status: int, bound: dict | None = None):
    context = dossier_context(request.user, dossier, bound)
    return render(request, DETAIL_TEMPLATE, context, status=status)


# -- What the page shows ------------------------------------------------------------------


def transition_options(dossier: Dossier, user) -> list[dict]:
    """The transitions from the current state this user is entitled to, each with what its
    guard still misses (empty: it can run now). Showing the blocked ones tells a referent
    what is left to do before submitting."""
    options = []
    kind = dossier.campaign.scheme.kind
    for name in TRANSITION_NAMES:
        spec = getattr(dossier, name)._django_fsm.get_transition(dossier.state)
        if spec is None or spec.custom.get("scheme_kind", kind) != kind:
            continue  # not from this state, or another kind of scheme's step
        if not spec.has_perm(dossier, user):
            continue
        problems = [p for c in spec.conditions for p in c.guard(dossier)]
        options.append({"name": name, "problems": problems})
    return options


def _transition_choices(dossier: Dossier, names) -> dict:
    """The levels and open major findings the transition forms offer, fetched when needed."""
    choices = {}
    if {"issue_report", "award"} & set(names):
        choices["levels"] = list(Level.objects.filter(referential_id=dossier.referential_id))
    if "submit_corrective_actions" in names:
        choices["findings"] = list(
            dossier.findings.filter(severity=Finding.Severity.MAJOR, status=Finding.Status.OPEN)
            .select_related("criterion")
            .order_by("id")
        )
    return choices


def dossier_context(user, dossier: Dossier, bound: dict | None = None, only: str | None = None):
    """Everything the dossier page shows, in a number of queries that does not depend on how
    many criteria, documents, findings or history rows the dossier has. `bound` holds the
    submitted forms to show again with their errors; `only` limits it to one criterion."""
    bound = bound or {}
    editor = roles.has(user, roles.EDIT, dossier)
    can = {
        "answer": editor and dossier.state in dossier_services.EDITABLE_STATES,
        "upload": editor and dossier.state in document_services.UPLOAD_STATES,
        "assess": roles.has(user, roles.AUDIT, dossier)
        and dossier.state == Dossier.State.UNDER_REVIEW,
        "assign": roles.is_manager(user) and dossier.state in audit_services.ASSIGNABLE_STATES,
    }
    criteria = _criteria(dossier, can, bound, only)
    context = {"dossier": dossier, "criteria": criteria, "can": can}
    if only is not None:
        return {**context, "c": criteria[0] if criteria else None}

    options = transition_options(dossier, user)
    runnable = [o["name"] for o in options if not o["problems"]]
    choices = _transition_choices(dossier, runnable)
    for option in options:
        name = option["name"]
        option["form"] = bound.get(f"transition:{name}") or TransitionForm(name=name, **choices)
    record = selectors.dossier_record(dossier)  # the same reads as the API's detail
    prefetch_related_objects(record["findings"], "corrective_actions__submitted_by")
    return {
        **context,
        **record,
        "transitions": options,
        "assignments": list(dossier.assignments.select_related("auditor").order_by("id")),
        "assign_form": (bound.get("assign") or AssignmentForm()) if can["assign"] else None,
        "history": list(dossier.history.select_related("actor").order_by("at", "id")),
    }


def _criteria(dossier: Dossier, can: dict, bound: dict, only: str | None) -> list[dict]:
    rows = selectors.dossier_criteria(dossier)
    if only is not None:
        rows = [r for r in rows if r["code"] == only]
    documents = Document.objects.filter(dossier=dossier, is_current=True)
    assessments = Assessment.objects.filter(dossier=dossier).select_related("assessor")
    if only is not None:
        ids = [r["id"] for r in rows]
        documents, assessments = (
            documents.filter(criterion_id__in=ids),
            assessments.filter(criterion_id__in=ids),
        )
    by_criterion = defaultdict(list)
    for document in documents.select_related("uploaded_by").order_by("-uploaded_at", "-id"):
        by_criterion[document.criterion_id].append(document)
    assessed = {a.criterion_id: a for a in assessments}
    for row in rows:
        code, assessment = row["code"], assessed.get(row["id"])
        row["files"] = by_criterion.get(row["id"], [])
        row["assessment"] = assessment
        if can["answer"]:
            row["response_form"] = bound.get(f"response:{code}") or ResponseForm(
                initial={"answer": row["answer"], "self_points": row["self_points"]},
                auto_id=f"id_{code}_%s",
            )
        if can["upload"]:
            row["upload_form"] = bound.get(f"upload:{code}") or DocumentUploadForm(
                initial={"criterion": code}, auto_id=f"id_upload_{code}_%s"
            )
        if can["assess"]:
            initial = {"criterion": code}
            if assessment:
                initial.update(rating=assessment.rating, points=assessment.points,
                               comment=assessment.comment)  # fmt: skip
            row["assessment_form"] = bound.get(f"assess:{code}") or AssessmentForm(
                initial=initial, auto_id=f"id_assess_{code}_%s"
            )
    return rows
