"""The dashboard: the user's dossiers, and what their roles let them start from there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audits import selectors as audit_selectors
from audits.forms import DeclarationForm

from .. import roles, selectors
from ..forms import DossierCreateForm, StateFilterForm
from ..paging import Paginator
from ..services import dossiers as dossier_services
from .common import attempt

PAGE_SIZE = 25
PENDING_LIMIT = 50


@login_required
def dashboard(request):
    return show_dashboard(request)


@login_required
@require_POST
def dossier_create(request):
    form = _create_form(request.user, request.POST)
    if not form.is_valid():
        return show_dashboard(request, 400, {"create": form})
    data = form.cleaned_data
    outcome = attempt(
        request,
        lambda: dossier_services.dossier_create(
            collectivity=data["collectivity"], campaign=data["campaign"],
            category_code=data["category"] or None, by=request.user,
        ),
        form=form,
    )  # fmt: skip
    if not outcome:
        return show_dashboard(request, outcome.status, {"create": form})
    messages.success(request, _("The dossier is open: answer the criteria, then submit it."))
    return redirect("dossier-detail", pk=outcome.value.pk)


@login_required
@require_GET
def dossier_categories(request):
    """The category field of the dossier form, for the collectivity and campaign chosen
    (htmx, when either changes): only the categories that fit, the only one chosen."""
    initial = {name: request.GET.get(name) for name in ("collectivity", "campaign")}
    form = _create_form(request.user, None, initial=initial)
    return render(request, "certification/partials/category_field.html",
                  {"field": form["category"]})  # fmt: skip


def show_dashboard(request, status: int = 200, bound: dict | None = None):
    return render(request, "certification/dashboard.html", _context(request, bound or {}),
                  status=status)  # fmt: skip


def _context(request, bound: dict) -> dict:
    user = request.user
    filters = StateFilterForm(request.GET)
    dossiers = selectors.dossiers_visible_to(user).order_by("-created_at", "-id")
    if filters.is_valid() and filters.cleaned_data["state"]:
        dossiers = dossiers.filter(state=filters.cleaned_data["state"])
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    referent_of = selectors.referent_collectivities(user)
    create_form = None
    if referent_of:
        create_form = bound.get("create") or _create_form(user, None, referent_of)
    pending = audit_selectors.undeclared_assignments_of(user, PENDING_LIMIT)
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
        "open_requests": audit_selectors.open_requests_for(user, PENDING_LIMIT),
    }


def _create_form(user, data, offered=None, initial=None) -> DossierCreateForm:
    return DossierCreateForm(
        data,
        initial=initial,
        collectivities=selectors.collectivities_visible_to(user),
        offered_collectivities=(
            selectors.referent_collectivities(user) if offered is None else offered
        ),
        offered_campaigns=selectors.open_campaigns(),
    )
