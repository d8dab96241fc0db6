"""The audit's actions: managers assign auditors and end assignments, auditors declare
their conflicts of interest (from the dashboard) and assess criteria (on the dossier page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import selectors as dossier_selectors
from certification.templatetags.ui import person
from certification.views.common import attempt
from certification.views.dashboard import show_dashboard
from certification.views.dossiers import back_to, criterion_result, show_page

from . import selectors, services, surveillance
from .forms import AssessmentForm, AssignmentForm, CorrectiveActionReviewForm, DeclarationForm


@login_required
@require_POST
def assignment_create(request, pk):
    dossier = dossier_selectors.get_dossier_for(request.user, pk)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        return show_page(request, dossier, 400, {"assign": form})
    outcome = attempt(
        request,
        lambda: services.assignment_create(
            dossier=dossier, auditor_username=form.cleaned_data["auditor"].username,
            role=form.cleaned_data["role"], by=request.user,
        ),
    )  # fmt: skip
    if not outcome:
        return show_page(request, dossier, outcome.status, {"assign": form})
    assignment = outcome.value
    messages.success(
        request,
        _("%(auditor)s is assigned (%(role)s): they must now declare their conflicts of interest.")
        % {"auditor": person(assignment.auditor), "role": assignment.get_role_display()},
    )
    return back_to(dossier, "assignments")


@login_required
@require_POST
def corrective_action_review(request, pk):
    """Accept or reject a corrective action, from the findings on the dossier page."""
    corrective_action = selectors.get_corrective_action_for(request.user, pk)
    dossier = corrective_action.finding.dossier
    form = CorrectiveActionReviewForm(request.POST, prefix=f"review-{pk}")
    if not form.is_valid():
        return show_page(request, dossier, 400, {f"review:{pk}": form})
    outcome = attempt(
        request,
        lambda: services.corrective_action_review(
            action=corrective_action, by=request.user,
            accepted=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        ),
    )  # fmt: skip
    if not outcome:
        return show_page(request, dossier, outcome.status, {f"review:{pk}": form})
    done = {
        "accepted": _("Corrective action accepted: the finding on %s is closed."),
        "rejected": _("Corrective action rejected: the finding on %s stays open."),
    }[outcome.value.review]
    messages.success(request, done % corrective_action.finding.criterion.code)
    return back_to(dossier, "findings-title")


@login_required
@require_POST
def assignment_end(request, pk):
    assignment = selectors.get_assignment_for(request.user, pk)
    dossier = dossier_selectors.get_dossier_for(request.user, assignment.dossier_id)
    outcome = attempt(
        request, lambda: services.assignment_end(assignment=assignment, by=request.user)
    )
    if not outcome:
        return show_page(request, dossier, outcome.status)
    messages.success(request, _("%s no longer audits this dossier.") % person(assignment.auditor))
    return back_to(dossier, "assignments")


@login_required
@require_POST
def assignment_declare(request, pk):
    assignment = selectors.get_assignment_for(request.user, pk)
    form = DeclarationForm(request.POST, auto_id=f"id_declare_{pk}_%s")
    if not form.is_valid():
        return show_dashboard(request, 400, {f"declare:{pk}": form})
    outcome = attempt(
        request,
        lambda: services.assignment_declare(
            assignment=assignment, by=request.user,
            has_conflict=form.cleaned_data["has_conflict"], details=form.cleaned_data["details"],
        ),
    )  # fmt: skip
    if not outcome:
        return show_dashboard(request, outcome.status, {f"declare:{pk}": form})
    if outcome.value.has_conflict:
        messages.info(request, _("Conflict of interest recorded: the dossier stays closed to you."))
        return redirect("dashboard")
    messages.success(request, _("Declaration recorded: the dossier is open to you."))
    return redirect("dossier-detail", pk=assignment.dossier_id)


@login_required
@require_POST
def assessment_record(request, pk):
    dossier = dossier_selectors.get_dossier_for(request.user, pk)
    code = request.POST.get("criterion", "")
    form = AssessmentForm(request.POST, auto_id=f"id_assess_{code}_%s")
    outcome = None
    if form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            request,
            lambda: services.assessment_record(
                dossier=dossier, criterion_code=code, rating=data["rating"],
                points=data["points"], comment=data["comment"], by=request.user,
            ),
            announce=not request.htmx,
        )  # fmt: skip
    done = _("Assessment of %s saved.") % code
    return criterion_result(request, dossier, code, f"assess:{code}", form, outcome, done)


# -- Surveillance audits (on the dossier page of a valid label) -----------------------------


def _surveillance_step(request, pk, run, done: str):
    found = selectors.get_surveillance_for(request.user, pk)
    outcome = attempt(request, lambda: run(found))
    if not outcome:
        return show_page(request, found.dossier, outcome.status)
    messages.success(request, done)
    return back_to(found.dossier, f"surveillance-{found.pk}")


@login_required
@require_POST
def surveillance_assign(request, pk):
    return _surveillance_step(
        request, pk,
        lambda found: surveillance.surveillance_assign(
            surveillance=found, auditor_username=request.POST.get("auditor", "").strip(),
            by=request.user,
        ),
        _("The surveillance audit is assigned."),
    )  # fmt: skip


@login_required
@require_POST
def surveillance_check(request, pk):
    code = request.POST.get("criterion", "")
    return _surveillance_step(
        request, pk,
        lambda found: surveillance.surveillance_check(
            surveillance=found, by=request.user, criterion_code=code,
            result=request.POST.get("result", ""), comment=request.POST.get("comment", ""),
        ),
        _("Check of %s saved.") % code,
    )  # fmt: skip


@login_required
@require_POST
def surveillance_conclude(request, pk):
    return _surveillance_step(
        request, pk,
        lambda found: surveillance.surveillance_conclude(
            surveillance=found, by=request.user, outcome=request.POST.get("outcome", ""),
            conclusion=request.POST.get("conclusion", ""),
        ),
        _("The surveillance audit is concluded."),
    )  # fmt: skip
