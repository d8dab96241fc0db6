"""The jury chair's page (progress, rankings, deliberation, designations) and the manager's
publication of a trophy campaign's results. Each POST calls a service, then redirects to the
page, or shows it again with the reason (409 with what is missing, errors at the field)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from certification import guards, roles
from certification import selectors as certification_selectors
from certification.errors import DomainError
from certification.lifecycle import STEPS
from certification.models import Dossier
from certification.views.campaigns import campaign_context
from certification.views.common import attempt

from . import records, results, selectors, services
from .models import Declaration, Deliberation, Designation, ScoreSheet

DESIGNATIONS = ("designate_laureate", "designate_finalist")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for reopening"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say why the sheet is reopened (reason).")},
    )  # fmt: skip


def attempt_listing(request, call):
    """`attempt` without the message, and the refusal's `missing` entries as sentences (the
    page lists them where the action is)."""
    found = []

    def run():
        try:
            return call()
        except DomainError as exc:
            found.extend(exc.extra.get("missing") or [])
            raise

    outcome = attempt(request, run, announce=False)
    return outcome, guards.sentences(found) or ([outcome.error] if outcome.error else [])


# -- The chair's page -----------------------------------------------------------------------


@login_required
@require_GET
def jury_detail(request, pk):
    jury = selectors.get_jury_for_chair(request.user, pk)
    return render(request, "juries/jury.html", jury_context(request, jury))


def show_jury(request, jury, status: int, **extra):
    return render(request, "juries/jury.html", jury_context(request, jury, **extra), status=status)


def back_to_jury(jury, anchor: str = ""):
    url = reverse("jury-detail", args=[jury.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def jury_context(request, jury, *, problems=None, reopen_forms=None) -> dict:
    """Everything the chair's page shows, in a number of queries that does not grow with the
    entries, the jurors or the sheets. `problems` holds a refused close (category code →
    sentences), `reopen_forms` a refused reopening (sheet pk → bound form)."""
    user = request.user
    normalised = request.GET.get("normalised", "") in {"1", "true", "yes"}
    members = {m.juror.username: m for m in jury.members.select_related("juror")}
    progress = selectors.jury_progress(jury)
    for row in progress:
        row["member"] = members[row["juror"]]
    is_chair = any(m.is_chair and m.juror_id == user.pk for m in members.values())
    deliberations = {
        (d.category.code if d.category else ""): d
        for d in Deliberation.objects.filter(jury=jury).select_related("category", "closed_by")
    }
    designations = {d.dossier_id: d for d in Designation.objects.filter(deliberation__jury=jury)}
    is_published = services.published(jury.campaign_id)
    sheets = {
        (s["dossier_id"], s["member__juror__username"]): s["pk"]
        for s in ScoreSheet.objects.filter(member__jury=jury, submitted_at__isnull=False)
        .values("pk", "dossier_id", "member__juror__username")
    }  # fmt: skip
    designating = is_chair and not is_published and bool(deliberations)
    declared = set()
    if designating:  # the chair designates the entries they did not recuse themselves from
        declared = set(Declaration.objects.filter(
            member__jury=jury, member__juror_id=user.pk, has_conflict=False,
        ).values_list("dossier_id", flat=True))  # fmt: skip
    here = (
        request.get_full_path()
        if request.method == "GET"
        else reverse("jury-detail", args=[jury.pk])
    )
    categories = []
    for code, rows in results.jury_results(jury, normalised=normalised).items():
        deliberation = deliberations.get(code)
        for row in rows:
            entry = row.entry
            row.designation = designations.get(entry.pk)
            row.juror_sheets = [
                _sheet_row(members[name], score, sheets.get((entry.pk, name)),
                           is_chair and deliberation is None, reopen_forms or {})
                for name, score in sorted(row.sheets.items())
            ]  # fmt: skip
            undecided = row.designation is None and entry.state == Dossier.State.SHORTLISTED
            row.forms = []
            if designating and deliberation and undecided and entry.pk in declared:
                row.forms = [_designation_form(name, entry) for name in DESIGNATIONS]
        category = rows[0].entry.category if rows else None
        categories.append({
            "code": code, "name": category.name if category else "", "rows": rows,
            "deliberation": deliberation, "problems": (problems or {}).get(code, []),
        })  # fmt: skip
    return {
        "jury": jury, "campaign": jury.campaign, "progress": progress, "is_chair": is_chair,
        "normalised": normalised, "categories": categories, "published": is_published,
        "here": here,
    }  # fmt: skip


def _sheet_row(member, score, sheet_pk, reopenable, bound) -> dict:
    form = None
    if reopenable and sheet_pk is not None:
        form = bound.get(sheet_pk) or ReopenForm(auto_id=f"id_reopen_{sheet_pk}_%s")
    return {"member": member, "score": score, "pk": sheet_pk, "form": form}


def _designation_form(name: str, entry: Dossier) -> dict:
    step = STEPS[name]
    form = step.form(dossier=entry, auto_id=f"id_{name}_{entry.pk}_%s")
    form.fields["citation"].widget.attrs["required"] = True
    return {"name": name, "step": step, "form": form}


@login_required
@require_POST
def jury_remind(request, pk):
    jury = selectors.get_jury_for_chair(request.user, pk)
    outcome = attempt(request, lambda: services.jurors_remind(jury=jury, by=request.user))
    if not outcome:
        return show_jury(request, jury, outcome.status)
    messages.success(request, _("Reminded: %s.") % ", ".join(outcome.value))
    return back_to_jury(jury, "progress-title")


@login_required
@require_POST
def jury_close(request, pk):
    jury = selectors.get_jury_for_chair(request.user, pk)
    code = request.POST.get("category", "").strip()
    outcome, problems = attempt_listing(
        request,
        lambda: services.deliberation_close(jury=jury, category_code=code or None,
                                            by=request.user),
    )  # fmt: skip
    if not outcome:
        return show_jury(request, jury, outcome.status, problems={code: problems})
    messages.success(request, _("The deliberation is closed: the scores are locked."))
    return back_to_jury(jury, f"category-{code}")


@login_required
@require_POST
def sheet_reopen(request, pk):
    sheet = selectors.get_sheet_for(request.user, pk)
    jury = selectors.get_jury_for_chair(request.user, sheet.member.jury_id)  # jurors: 404
    form = ReopenForm(request.POST, auto_id=f"id_reopen_{sheet.pk}_%s")
    if not form.is_valid():
        return show_jury(request, jury, 400, reopen_forms={sheet.pk: form})
    outcome = attempt(
        request,
        lambda: services.sheet_reopen(sheet=sheet, by=request.user,
                                      reason=form.cleaned_data["reason"]),
        form=form,
    )  # fmt: skip
    if not outcome:
        if outcome.status == 403:  # a manager: only the chair reopens
            raise PermissionDenied(outcome.error)
        return show_jury(request, jury, outcome.status, reopen_forms={sheet.pk: form})
    messages.success(request, _("The sheet is reopened: its juror can change it again."))
    return back_to_jury(jury, "ranking-title")


# -- The record -----------------------------------------------------------------------------


@login_required
@require_GET
def deliberation_csv(request, pk):
    deliberation = selectors.get_deliberation_for(request.user, pk)
    return attachment(records.record_csv(deliberation), "text/csv; charset=utf-8",
                       f"deliberation-{deliberation.pk}.csv")  # fmt: skip


@login_required
@require_GET
def deliberation_pdf(request, pk):
    deliberation = selectors.get_deliberation_for(request.user, pk)
    return attachment(records.record_pdf(deliberation), "application/pdf",
                       f"deliberation-{deliberation.pk}.pdf")  # fmt: skip


def attachment(content, content_type: str, filename: str) -> HttpResponse:
    """A download (the API's record exports too)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- The manager's publication ---------------------------------------------------------------


@login_required
@require_POST
def campaign_publish_results(request, pk):
    campaign = certification_selectors.get_campaign(pk)
    if not roles.is_manager(request.user):
        raise PermissionDenied(_("Only programme managers publish the results."))
    outcome, problems = attempt_listing(
        request, lambda: services.results_publish(campaign=campaign, by=request.user)
    )
    if not outcome:
        context = {**campaign_context(request.user, campaign), "publish_problems": problems}
        return render(request, "certification/campaign_detail.html", context,
                      status=outcome.status)  # fmt: skip
    messages.success(request, _("The results are published: the laureates page is open."))
    return redirect("campaign-detail", pk=campaign.pk)
