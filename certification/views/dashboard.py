"""The dashboard: each role's page opens on what needs them now, then the dossiers they see.

- the collectivity's people: their dossiers waiting on them, the auditors' open questions;
- auditors: their assignments by what awaits them, overdue requests, their workload;
- committee members: the dossiers they may decide; jurors: the entries awaiting their score;
- managers: each open campaign's counts (per state, as a chart, and per category), its
  bottlenecks, the time per state of a chosen campaign, the work queues, a filtered list with
  bulk actions and its export (CSV, XLSX).

Every section costs a fixed number of queries (tests/web/test_query_counts.py)."""

import hashlib
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audits import selectors as audit_selectors
from audits import services as audit_services
from audits.forms import DeclarationForm
from juries.selectors import juror_entries
from juries.templatetags.jury_nav import sits_on_a_jury

from .. import exports, next_steps, roles, selectors, stats
from ..errors import DomainError
from ..forms import DossierCreateForm, StateFilterForm
from ..lifecycle import STEPS
from ..models import Category, Dossier
from ..paging import Paginator
from ..services import dossiers as dossier_services
from ..services.transitions import perform_transition
from ..templatetags.ui import person
from .common import attempt

PAGE_SIZE = 25
PENDING_LIMIT = 50
# A manager follows every dossier: the most pressing requests, then a link to the dossiers
# awaiting an answer (the list filtered by that state).
MANAGER_REQUESTS = 10
NOW_LIMIT = 10  # the collectivity's dossiers waiting on it, shown first
WORK_LIMIT = 200  # an auditor's current assignments read for their dashboard
CAMPAIGN_LIMIT = 100  # the campaigns offered by the manager's filter
AUDITOR_LIMIT = 200  # the auditors offered by the bulk assignment
BULK_LIMIT = 100  # dossiers per bulk action
JURY_WAITING = {"to_declare", "not_started", "in_progress"}
COLLECTIVITY_ACTING_ROLES = ("referent", "contributor")

# The steps the manager's list runs on many dossiers at once: those the lifecycle table marks
# `bulk`.
BULK_STEPS = [name for name, step in STEPS.items() if step.bulk]
ASSIGN = "assign"


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


@login_required
@require_GET
def dashboard_export(request, fmt: str):
    """The manager's filtered list as CSV (streamed) or XLSX (bounded)."""
    if not roles.is_manager(request.user):
        raise PermissionDenied(_("Only programme managers export the dossiers."))
    filters = ManagerFilterForm(request.GET).filters()
    dossiers = selectors.manager_dossiers(request.user, **filters)
    if fmt == "xlsx":
        return exports.xlsx_response(dossiers, exports.filename())
    return exports.csv_response(dossiers, exports.filename())


@login_required
@require_POST
def dashboard_bulk(request):
    """One action on the dossiers ticked in the manager's list, each run through the service
    that runs it alone: what succeeded and what was refused, with why, per dossier."""
    if not roles.is_manager(request.user):
        raise PermissionDenied(_("Only programme managers act on several dossiers at once."))
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return show_dashboard(request, 400)
    data = form.cleaned_data
    results = _run_bulk(request.user, data["action"], data["dossiers"], data["auditor"])
    stats.forget()  # the counts, queues and workloads changed
    return show_dashboard(request, 200, {"bulk_results": results})


def show_dashboard(request, status: int = 200, bound: dict | None = None):
    return render(request, "certification/dashboard.html", _context(request, bound or {}),
                  status=status)  # fmt: skip


# -- The page -------------------------------------------------------------------------


def _context(request, bound: dict) -> dict:
    user = request.user
    manager = roles.is_manager(user)
    groups = set(user.groups.values_list("name", flat=True))
    acting = _acting_roles(groups, manager)
    context = {"is_manager": manager, "acting": acting,
               "bulk_results": bound.get("bulk_results")}  # fmt: skip
    visible = None  # the dossiers this user sees: their ids are read once, when it is built
    if manager:
        context |= _manager_context(request)
        dossiers = context["dossiers"]
    else:
        context["filters"] = filters = StateFilterForm(request.GET)
        visible = selectors.dossiers_visible_to(user)
        dossiers = visible.order_by("-created_at", "-id")
        if filters.is_valid() and filters.cleaned_data["state"]:
            dossiers = dossiers.filter(state=filters.cleaned_data["state"])
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    needs_you = []
    if next_steps.COLLECTIVITY in acting:
        if visible is None:
            visible = selectors.dossiers_visible_to(user)
        needs_you = selectors.dossiers_awaiting(visible, next_steps.COLLECTIVITY_ACTS, NOW_LIMIT)
    _describe([*page, *needs_you])
    referent_of = selectors.referent_collectivities(user)
    create_form = None
    if referent_of:
        create_form = bound.get("create") or _create_form(user, None, referent_of)
    limit = MANAGER_REQUESTS if manager else PENDING_LIMIT
    open_requests = audit_selectors.open_requests_for(user, limit)
    questions = {r.dossier_id: r for r in reversed(open_requests)}  # the most pressing wins
    for dossier in needs_you:
        dossier.question = questions.get(dossier.pk)
    context |= {
        "page": page,
        "needs_you": needs_you,
        "referent_of": referent_of,
        "create_form": create_form,
        "open_requests": open_requests,
        "more_requests": manager and len(open_requests) == limit,
        "overdue_requests": [r for r in open_requests if r.is_overdue],
        "pending_assignments": [],
    }
    if roles.AUDITORS_GROUP in groups:
        context |= _auditor_context(user, bound)
    if roles.COMMITTEE_GROUP in groups:
        context["to_decide"] = selectors.dossiers_to_decide(user, PENDING_LIMIT)
    if sits_on_a_jury(user):  # the navigation's cached answer: no query for others
        entries = juror_entries(user)
        context["jury_waiting"] = sum(1 for e in entries if e["status"] in JURY_WAITING)
        context["jury_entries"] = len(entries)
    return context


def _acting_roles(groups: set[str], manager: bool) -> set[str]:
    """Whose next step is this user's: the roles they hold, from their groups."""
    acting = {next_steps.MANAGER} if manager else set()
    if any(name.startswith("collectivity-") and name.endswith(COLLECTIVITY_ACTING_ROLES)
           for name in groups):  # fmt: skip
        acting.add(next_steps.COLLECTIVITY)
    if roles.AUDITORS_GROUP in groups:
        acting.add(next_steps.AUDITOR)
    if roles.COMMITTEE_GROUP in groups:
        acting.add(next_steps.COMMITTEE)
    return acting


def _describe(dossiers: list[Dossier]) -> None:
    """Give each listed dossier its next step, its deadline and, for a draft, its
    completeness: one query for the whole page (`selectors.dossier_list_details`)."""
    details = selectors.dossier_list_details(dossiers)
    for dossier in dossiers:
        info = details.get(dossier.pk, {"answered": 0, "criteria": 0, "due": None})
        dossier.next_step = next_steps.next_step(dossier.state, dossier.campaign.scheme.kind)
        dossier.due = info["due"]
        dossier.deadline = info["due"] or (
            dossier.campaign.closes_at if dossier.state == Dossier.State.DRAFT else None
        )
        dossier.answered, dossier.criteria = info["answered"], info["criteria"]
        dossier.completeness = (
            round(100 * info["answered"] / info["criteria"]) if info["criteria"] else 0
        )


# -- Auditors ---------------------------------------------------------------------------

AUDITOR_GROUPS = [
    ("to_declare", gettext_lazy("To declare your conflicts of interest")),
    ("to_start", gettext_lazy("To start the review")),
    ("to_assess", gettext_lazy("Under review: to assess")),
    ("to_report", gettext_lazy("Every criterion assessed: the report to issue")),
    ("waiting", gettext_lazy("Information requested: waiting on the collectivity")),
    ("other", gettext_lazy("Nothing for you now")),
]


def _auditor_context(user, bound: dict) -> dict:
    work = audit_selectors.current_work_of(user, WORK_LIMIT)
    groups = {key: [] for key, _label in AUDITOR_GROUPS}
    for assignment in work:
        groups[_awaits(assignment)].append(assignment)
    for assignment in groups["to_declare"]:
        assignment.form = bound.get(f"declare:{assignment.pk}") or DeclarationForm(
            auto_id=f"id_declare_{assignment.pk}_%s"
        )
    return {
        "pending_assignments": groups["to_declare"],
        "auditor_groups": [
            (key, label, groups[key])
            for key, label in AUDITOR_GROUPS
            if groups[key] and key != "to_declare"
        ],  # fmt: skip
        "workload": len(work),
        "workload_capped": len(work) >= WORK_LIMIT,
    }


def _awaits(assignment) -> str:
    """What an assignment awaits from its auditor."""
    state, lead = assignment.dossier.state, assignment.role == "lead"
    if assignment.declared_at is None:
        return "to_declare"
    if assignment.has_conflict:
        return "other"
    if state == Dossier.State.ADMISSIBLE and lead:
        return "to_start"
    if state == Dossier.State.UNDER_REVIEW:
        complete = assignment.criteria and (assignment.assessed or 0) >= assignment.criteria
        return "to_report" if complete and lead else "to_assess"
    if state == Dossier.State.INFORMATION_REQUESTED:
        return "waiting"
    return "other"


# -- Managers ---------------------------------------------------------------------------


class ManagerFilterForm(forms.Form):
    """The manager's list filters. A value that does not validate is ignored (the list
    shows unfiltered by it), as a stale bookmark should not fail the page."""

    q = forms.CharField(label=gettext_lazy("Collectivity"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=gettext_lazy("State"), required=False,
        choices=[("", gettext_lazy("All states")), *Dossier.State.choices],
    )  # fmt: skip
    # Integer fields shown as lists: validating them costs no query; the view fills the
    # choices it has read anyway.
    campaign = forms.IntegerField(label=gettext_lazy("Campaign"), required=False, min_value=1,
                                  widget=forms.Select)  # fmt: skip
    category = forms.IntegerField(label=gettext_lazy("Category"), required=False, min_value=1,
                                  widget=forms.Select)  # fmt: skip
    queue = forms.ChoiceField(
        label=gettext_lazy("Queue"), required=False,
        choices=[("", gettext_lazy("Any")), *selectors.QUEUES.items()],
    )  # fmt: skip

    def __init__(self, data, **kwargs):
        # Its own ids: the page may also hold the dossier form's campaign and category.
        super().__init__(data, auto_id="id_filter_%s", **kwargs)

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "state": data.get("state") or "", "campaign": data.get("campaign"),
            "category": data.get("category"), "search": (data.get("q") or "").strip(),
            "queue_name": data.get("queue") or "",
        }  # fmt: skip

    def offer(self, campaigns, categories) -> None:
        self.fields["campaign"].widget.choices = [
            ("", _("All campaigns")),
            *((c.pk, f"{c.name} ({c.year})") for c in campaigns),
        ]
        self.fields["category"].widget.choices = [
            ("", _("All categories")),
            *((c.pk, c.name) for c in categories),
        ]


def _manager_context(request) -> dict:
    user = request.user
    form = ManagerFilterForm(request.GET)
    filters = form.filters()
    chosen = filters["campaign"]
    campaigns = list(selectors.campaigns()[:CAMPAIGN_LIMIT])
    shown = [c for c in campaigns if c.is_open() or c.pk == chosen]
    categories = list(
        Category.objects.filter(campaign_id__in=[c.pk for c in shown]).order_by(
            "campaign_id", "min_population", "code"
        )
    )
    form.offer(campaigns, [c for c in categories if c.campaign_id == chosen])
    ids = [c.pk for c in shown]
    key = hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()  # noqa: S324 (a name)
    panels = stats.remembered(
        f"panels:{key}:{chosen}:{get_language()}",
        lambda: render_to_string(PANELS_TEMPLATE, {
            "campaign_panels": _campaign_panels(shown, categories, chosen, key),
        }),
    )  # fmt: skip
    queues = stats.remembered(
        "queues",
        lambda: stats.queue_sizes({name: selectors.queue(name) for name in selectors.QUEUES}),
    )
    return {
        "filters": form,
        "campaign_panels": panels,
        "queues": [(name, label, queues[name]) for name, label in selectors.QUEUES.items()],
        "queue_cap": stats.QUEUE_CAP,
        "bulk_form": BulkForm(),
        "auditor_options": stats.remembered(f"auditor-options:{get_language()}", _auditor_options),
        "figures_for": stats.REMEMBERED_FOR,
        "dossiers": selectors.manager_dossiers(user, **filters),
    }


PANELS_TEMPLATE = "certification/partials/dashboard_panels.html"


def _campaign_panels(shown, categories, chosen, key) -> list[dict]:
    """Each shown campaign's counts per state (a chart) and per category, its bottlenecks
    and, for the chosen one, the time per state. Written into HTML once per figures'
    lifetime (`stats.remembered`), as the figures themselves are."""
    counts = stats.remembered(f"counts:{key}", lambda: stats.campaign_counts([c.pk for c in shown]))
    times = None
    if chosen and chosen in counts:
        times = stats.remembered(f"times:{chosen}", lambda: stats.time_per_state(chosen))
    panels = []
    for campaign in shown:
        tally = counts[campaign.pk]
        names = {c.pk: c.name for c in categories if c.campaign_id == campaign.pk}
        panels.append({
            "campaign": campaign, "total": tally.total, "rows": stats.state_rows(tally.states),
            "categories": [(names.get(pk) or _("No category"), n)
                           for pk, n in sorted(tally.categories.items(), key=_by_count)],
            "times": times if campaign.pk == chosen else None,
            "bottlenecks": stats.bottlenecks(
                tally.states, times if campaign.pk == chosen else None
            ),
        })  # fmt: skip
    return panels


def _auditor_options() -> str:
    """The bulk assignment's `<option>`s, each auditor with their workload: written here
    and remembered with the figures (per language), rather than by the template at each
    view, which cost a fifth of the page's rendering for 200 auditors."""
    auditors = audit_selectors.auditors_with_workload()[:AUDITOR_LIMIT]
    return format_html_join("", '<option value="{}">{}</option>', (
        (a.username, ngettext("%(name)s (%(counter)s current assignment)",
                              "%(name)s (%(counter)s current assignments)", a.workload)
         % {"name": person(a), "counter": a.workload})
        for a in auditors
    ))  # fmt: skip


def _by_count(item) -> tuple:
    return (-item[1], item[0] or 0)


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[(ASSIGN, gettext_lazy("Assign as lead auditor")),
                 *((name, STEPS[name].label) for name in BULK_STEPS)],
    )  # fmt: skip
    dossiers = forms.TypedMultipleChoiceField(coerce=int, required=True)
    auditor = forms.CharField(label=gettext_lazy("Auditor"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id: the ones that name no dossier are reported as such, one by one.
        ids = self.data.getlist("dossiers") if hasattr(self.data, "getlist") else []
        self.fields["dossiers"].choices = [(i, i) for i in ids if i.isascii() and i.isdigit()]
        self.fields["dossiers"].error_messages["required"] = _("Tick the dossiers to act on.")

    def clean_dossiers(self):
        ids = list(dict.fromkeys(self.cleaned_data["dossiers"]))
        if len(ids) > BULK_LIMIT:
            raise forms.ValidationError(_("At most %d dossiers at once.") % BULK_LIMIT)
        return ids

    def clean(self):
        data = super().clean()
        if data.get("action") == ASSIGN and not data.get("auditor"):
            self.add_error("auditor", _("Choose the auditor to assign."))
        return data


@dataclass
class BulkResult:
    pk: int
    dossier: Dossier | None
    done: bool
    reason: str = ""


def _run_bulk(user, action: str, ids: list[int], auditor: str) -> list[BulkResult]:
    found = Dossier.objects.select_related("collectivity", "campaign__scheme").filter(pk__in=ids)
    dossiers = {d.pk: d for d in found}
    results = []
    for pk in ids:
        dossier = dossiers.get(pk)
        if dossier is None:
            results.append(BulkResult(pk, None, False, _("No such dossier.")))
            continue
        try:
            if action == ASSIGN:
                audit_services.assignment_create(
                    dossier=dossier, auditor_username=auditor, role="lead", by=user
                )
            else:
                perform_transition(dossier=dossier, name=action, by=user)
        except DomainError as exc:
            results.append(BulkResult(pk, dossier, False, str(exc.detail)))
        else:
            results.append(BulkResult(pk, dossier, True))
    return results


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
