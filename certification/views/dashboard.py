"""The dashboard: the user's dossiers, and what their roles let them start from there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits import services as audit_services
from audits.models import Assignment
from labelflow.errors import DomainError

from .. import roles, selectors
from ..forms import DeclarationForm, DossierCreateForm, StateFilterForm
from ..models import Campaign, Collectivity, Membership
from ..services import dossiers as dossier_services
from .common import assignment_or_404, report

PAGE_SIZE = 25
PENDING_LIMIT = 50


@login_required
def dashboard(request):
    return _render(request)


@login_required
@require_POST
def dossier_create(request):
    form = _create_form(request.user, request.POST)
    if not form.is_valid():
        return _render(request, 400, {"create": form})
    data = form.cleaned_data
    try:
        dossier = dossier_services.dossier_create(
            collectivity=data["collectivity"], campaign=data["campaign"],
            category_code=data["category"] or None, by=request.user,
        )  # fmt: skip
    except DomainError as exc:
        return _render(request, report(request, exc), {"create": form})
    messages.success(request, _("The dossier is open: answer the criteria, then submit it."))
    return redirect("dossier-detail", pk=dossier.pk)


@login_required
@require_POST
def assignment_declare(request, pk):
    assignment = assignment_or_404(request.user, pk)
    form = DeclarationForm(request.POST, auto_id=f"id_declare_{pk}_%s")
    if not form.is_valid():
        return _render(request, 400, {f"declare:{pk}": form})
    try:
        assignment = audit_services.assignment_declare(
            assignment=assignment, by=request.user,
            has_conflict=form.cleaned_data["has_conflict"], details=form.cleaned_data["details"],
        )  # fmt: skip
    except DomainError as exc:
        return _render(request, report(request, exc), {f"declare:{pk}": form})
    if assignment.has_conflict:
        messages.info(request, _("Conflict of interest recorded: the dossier stays closed to you."))
        return redirect("dashboard")
    messages.success(request, _("Declaration recorded: the dossier is open to you."))
    return redirect("dossier-detail", pk=assignment.dossier_id)


def _render(request, status: int = 200, bound: dict | None = None):
    return render(request, "certification/dashboard.html", _context(request, bound or {}),
                  status=status)  # fmt: skip


def _context(request, bound: dict) -> dict:
    user = request.user
    filters = StateFilterForm(request.GET)
    dossiers = selectors.dossiers_visible_to(user).order_by("-created_at", "-id")
    if filters.is_valid() and filters.cleaned_data["state"]:
        dossiers = dossiers.filter(state=filters.cleaned_data["state"])
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    referent_of = _referent_of(user)
    create_form = None
    if referent_of:
        create_form = bound.get("create") or _create_form(user, None, referent_of)
    pending = list(
        Assignment.objects.filter(auditor=user, declared_at__isnull=True, ended_at__isnull=True)
        .select_related("dossier__collectivity", "dossier__campaign")
        .order_by("assigned_at", "id")[:PENDING_LIMIT]
    )
    for assignment in pending:
        assignment.form = bound.get(f"declare:{assignment.pk}") or DeclarationForm(
            auto_id=f"id_declare_{assignment.pk}_%s"
        )
    return {
        "page": page,
        "filters": filters,
        "is_manager": roles.is_manager(user),
        "referent_of": referent_of,
        "create_form": create_form,
        "pending_assignments": pending,
    }


def _referent_of(user) -> list[Collectivity]:
    return list(
        Collectivity.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.REFERENT
        ).order_by("name")
    )


def _create_form(user, data, offered=None) -> DossierCreateForm:
    campaigns = list(
        Campaign.objects.open().select_related("scheme").prefetch_related("categories")
    )
    return DossierCreateForm(
        data,
        collectivities=selectors.collectivities_visible_to(user),
        offered_collectivities=_referent_of(user) if offered is None else offered,
        offered_campaigns=campaigns,
    )
