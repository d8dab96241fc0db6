"""The dossier page, its answers and its transitions. Each POST validates a form, calls the
service, then redirects (or, when refused, shows the page again with the reason). The
audit's and the evidence's actions on this page live in `audits.views` and
`documents.views`; they answer through `criterion_result` and `show_page`."""

import functools
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits import scoring, surveillance
from audits import selectors as audit_selectors
from audits.forms import AssessmentForm, AssignmentForm, auditor_choices
from audits.models import Surveillance, SurveillanceCheck
from documents import selectors as document_selectors
from documents.forms import DocumentUploadForm
from documents.models import Document
from juries import selectors as jury_selectors
from juries import services as juries

from .. import guards, policy, roles, selectors
from ..errors import Conflict, NotVisible
from ..forms import ResponseForm
from ..lifecycle import STEPS, dossier_actions
from ..models import Campaign, CriterionResponse, Dossier, Scheme
from ..services import dossiers as dossier_services
from ..services import renewal
from ..services.transitions import perform_transition
from ..templatetags import charts
from ..templatetags.workspace import next_step
from .common import attempt

DETAIL_TEMPLATE = "certification/dossier_detail.html"
# How long the page keeps its history table as it rendered it (a transition starts a new
# one at once; an actor's new name shows after this).
HISTORY_TTL = 3600
CLEAN = Document.ScanStatus.CLEAN
PART_TEMPLATES = {
    "criterion": "certification/partials/criterion.html",
    "evidence": "documents/partials/evidence.html",
    "answer": "certification/partials/answer_status.html",
}


@login_required
def dossier_detail(request, pk):
    dossier = selectors.get_dossier_for(request.user, pk)
    return render(request, DETAIL_TEMPLATE, dossier_context(request.user, dossier))


@login_required
@require_POST
def response_save(request, pk, code):
    dossier = selectors.get_dossier_for(request.user, pk)
    form = ResponseForm(request.POST, auto_id=f"id_{code}_%s")
    outcome = None
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: dossier_services.response_save(
                dossier=dossier, criterion_code=code, answer=form.cleaned_data["answer"],
                self_points=form.cleaned_data["self_points"], by=request.user,
            ),
            announce=not request.htmx,
        )  # fmt: skip
    done = _("Answer to %(code)s saved (%(time)s).") % {
        "code": code, "time": date_format(timezone.localtime(), "H:i"),
    }  # fmt: skip
    # With htmx, only the answer's status (and the panels, out of band): the text box the
    # person may still be typing in is never swapped.
    return criterion_result(request, dossier, code, f"response:{code}", form, outcome, done,
                            part="answer")  # fmt: skip


@login_required
@require_POST
def dossier_transition(request, pk, name):
    dossier = selectors.get_dossier_for(request.user, pk)
    step = STEPS.get(name)
    if step is None:
        raise Http404(_("No such transition."))
    outcome = attempt(
        request,
        lambda: perform_transition(
            dossier=dossier, name=name, by=request.user, data=request.POST
        ),  # fmt: skip
    )
    if not outcome:
        return show_page(request, dossier, outcome.status,
                         {f"transition:{name}": step.bind(dossier, request.POST)})  # fmt: skip
    dossier = outcome.value
    messages.success(
        request,
        _("Done: the dossier is now “%(state)s”. %(next)s")
        % {"state": Dossier.State(dossier.state).label, "next": next_step(dossier)},
    )
    if not roles.can_view(request.user, dossier):  # e.g. a withdrawn or reassigned dossier
        return redirect("dashboard")
    return _next_page(request) or back_to(dossier)


def _next_page(request) -> HttpResponseRedirect | None:
    """Where a form posted from another page (e.g. the jury's) asks to return, if on this site."""
    url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(url) if url and safe else None


def criterion_result(request, dossier, code, key, form, outcome, done, part="criterion"):
    """After an action on one criterion: with htmx, that criterion's block only (or only
    its evidence, `part="evidence"`, or only its answer's status, `part="answer"`), saying
    itself what was done or what went wrong, with the actions panel, the progress and the
    criterion's badges refreshed out of band (so that the next step is offered without a
    reload); without, back to the page (or the page again with the reason). `outcome` is
    None when the form itself was invalid."""
    status = outcome.status if outcome is not None else 400
    error = outcome.error if outcome is not None else None
    bound = {} if status == 200 else {key: form}
    if request.htmx:
        context = dossier_context(request.user, dossier, bound, only=code)
        if context["c"] is None:  # an unknown criterion: nothing to swap in
            return HttpResponse(error or "", status=status if status != 200 else 404)
        context.update({f"{part}_done": done if status == 200 else "", f"{part}_error": error,
                        "saved_form": form, "refresh": True})  # fmt: skip
        return render(request, PART_TEMPLATES[part], context, status=status)
    if status == 200:
        messages.success(request, done)
        return back_to(dossier, f"{'criterion' if part == 'answer' else part}-{code}")
    return show_page(request, dossier, status, bound)


def back_to(dossier: Dossier, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("dossier-detail", args=[dossier.pk])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def show_page(request, dossier: Dossier, status: int, bound: dict | None = None):
    context = dossier_context(request.user, dossier, bound)
    return render(request, DETAIL_TEMPLATE, context, status=status)


# -- What the page shows ------------------------------------------------------------------


def dossier_context(user, dossier: Dossier, bound: dict | None = None, only: str | None = None):
    """Everything the dossier page shows, in a number of queries that does not depend on how
    many criteria, documents, findings or history rows the dossier has. `bound` holds the
    submitted forms to show again with their errors; `only` limits it to one criterion and
    what an in-page change refreshes (the actions panel, the progress, the score)."""
    bound = bound or {}
    assignments = []
    if only is None:  # listed on the page; they also say whether a committee member audited it
        assignments = audit_selectors.dossier_assignments(dossier)
        roles.auditors_known(dossier, assignments)
    actions = dossier_actions(user, dossier)
    outline = _outline(dossier)  # chapters and their criteria: grouping, score and goals
    rated = audit_selectors.assessments_by_criterion(dossier)
    files = _files(dossier)
    criteria = _criteria(outline, rated, files)
    for option in actions.transitions:
        if option.verdict:
            option.form = bound.get(f"transition:{option.name}") or option.step.bind(dossier)
    context = {
        "dossier": dossier, "actions": actions, "transitions": actions.transitions,
        "chapters": _chapters(outline, criteria), "progress": _progress(criteria, actions),
        "next_step": next_step(dossier),
    }  # fmt: skip
    # The referential's levels, read once if the score or the outcome shows them.
    levels = functools.cache(lambda: scoring.referential_levels(dossier.referential_id))
    record = selectors.dossier_record(dossier, levels) if only is None else {}
    if _sees_score(user, dossier, actions, rated, record.get("report")):
        context["score"] = _score(dossier, outline, rated, levels())
    if only is not None:
        shown = [row for row in criteria if row["code"] == only]
        _decorate(dossier, shown, actions, bound, files)
        # An assessment saved in place refreshes the score too (an out-of-band swap).
        return {**context, "c": shown[0] if shown else None, "oob_score": True}

    _decorate(dossier, criteria, actions, bound, files)
    surveillances = _surveillances(user, dossier) if record["certificate"] else []
    return {
        **context,
        **record,
        "criteria": criteria,
        "assignments": assignments,
        "assign_form": (bound.get("assign") or AssignmentForm()) if actions.assign else None,
        "history": selectors.dossier_history(dossier),  # read only when not kept
        "history_ttl": HISTORY_TTL,
        "may_review": policy.may_review_corrective_action(user, dossier).allowed,
        "surveillances": surveillances,
        "auditor_choices": auditor_choices() if surveillances and roles.is_manager(user) else [],
        "renewal": _renewal(user, dossier, record["certificate"]),
        "check_results": SurveillanceCheck.Result.choices,
        "outcomes": Surveillance.Outcome.choices,
        "feedback": _jury_feedback(user, dossier),
    }


def _outline(dossier: Dossier) -> scoring.Outline:
    """The referential's outline (`scoring.referential_outline`), each criterion with this
    dossier's `answer` and `self_points` (one more query; as subqueries of one query,
    building it cost more than running both). The referential is kept on the dossier for
    the score and the report (joined to the dossier's read, it doubled that query's
    planning)."""
    outline = scoring.referential_outline(dossier.referential_id)
    responses = CriterionResponse.objects.filter(dossier=dossier)
    answers = {
        pk: (answer, points)
        for pk, answer, points in responses.values_list("criterion_id", "answer", "self_points")
    }
    for _chapter, criteria in outline:
        for criterion in criteria:
            criterion.answer, criterion.self_points = answers.get(criterion.pk, ("", None))
    if outline:
        dossier.referential = outline[0][1][0].referential
    return outline


def _chapters(outline: scoring.Outline, criteria: list[dict]) -> list[dict]:
    """The criteria grouped by chapter, each chapter with its own progress."""
    by_id = {row["id"]: row for row in criteria}
    chapters = []
    for chapter, members in outline:
        rows = []
        for criterion in members:
            row = by_id.get(criterion.pk)
            if row is not None:  # the same dict as in `criteria`: decorated once for both
                row["sdg_goals"] = criterion.sdg_goals
                rows.append(row)
        chapters.append({"code": chapter.code, "title": chapter.title, "criteria": rows,
                         **_counts(rows)})  # fmt: skip
    return chapters


def _counts(rows: list[dict]) -> dict:
    return {
        "total": len(rows),
        "answered": sum(1 for r in rows if r["answered"]),
        "mandatory": sum(1 for r in rows if r["mandatory"]),
        "mandatory_clean": sum(1 for r in rows if r["mandatory"] and r["documents"]),
        "assessed": sum(1 for r in rows if r["assessment"] is not None),
    }


def _progress(criteria: list[dict], actions) -> dict:
    """“4/6 answered, 2/3 mandatory evidence clean”, and for the auditors what is assessed."""
    return {**_counts(criteria), "assessing": bool(actions.assess)}


def _sees_score(user, dossier: Dossier, actions, rated: dict, report) -> bool:
    """The assessing auditor (the running score), the managers and the dossier's auditors
    once something is assessed, and whoever sees the dossier once the report is issued."""
    if actions.assess or report is not None:
        return True
    if not rated:
        return False
    return roles.is_manager(user) or roles.assigned_auditor(dossier, user)


def _score(dossier: Dossier, outline: scoring.Outline, rated: dict, levels) -> scoring.Score:
    """The score from the chapters, assessments and levels already read."""
    score = scoring.compute(dossier.referential, outline, rated, levels)
    score.goals = charts.goal_scores(outline, rated)
    return score


def _jury_feedback(user, dossier: Dossier) -> dict | None:
    """For a judged trophy entry, once the results are published: the jury's feedback, for
    the collectivity's members and managers (nothing, and no query, for a label)."""
    judged = {*juries.SCORED_STATES, Dossier.State.NOT_SHORTLISTED}
    if dossier.campaign.scheme.kind != Scheme.Kind.TROPHY or dossier.state not in judged:
        return None
    try:
        return jury_selectors.feedback_for(user, dossier)
    except (Conflict, NotVisible):  # not published yet, or not the entrant's
        return None


def _renewal(user, dossier: Dossier, award) -> dict | None:
    """For the holder's referent: the renewal dossier, or from when and where to open one."""
    if award is None or not roles.referent(dossier, user):
        return None
    opens_on = renewal.renewal_opens_on(award)
    existing = award.renewals.exclude(state=Dossier.State.WITHDRAWN).first()
    is_open = existing is None and opens_on <= timezone.localdate()
    return {"dossier": existing, "opens_on": opens_on, "open": is_open,
            "campaigns": renewal.renewal_campaigns(award) if is_open else []}  # fmt: skip


@login_required
@require_POST
def dossier_renew(request, pk):
    dossier = selectors.get_dossier_for(request.user, pk)
    award = getattr(dossier, "certificate", None)
    if award is None:
        raise Http404(_("This dossier holds no label to renew."))
    chosen = request.POST.get("campaign", "")
    campaign = None
    if selectors.is_id(chosen):
        campaign = Campaign.objects.open().filter(pk=chosen).first()
    if campaign is None:
        messages.error(request, _("Choose an open campaign."))
        return show_page(request, dossier, 400)
    outcome = attempt(
        request, lambda: renewal.dossier_renew(award=award, campaign=campaign, by=request.user)
    )
    if not outcome:
        return show_page(request, dossier, outcome.status)
    messages.success(request, _("The renewal dossier is open, prefilled with your last answers "
                                "and evidence: review them, then submit it."))  # fmt: skip
    return redirect("dossier-detail", pk=outcome.value.pk)


def _surveillances(user, dossier: Dossier) -> list:
    """A label's surveillance audits; those in progress with what their auditor checks."""
    found = audit_selectors.dossier_surveillances(dossier)
    for item in found:
        item.runs = item.state == "assigned" and item.auditor_id == user.pk
        item.items = surveillance.surveillance_items(item) if item.runs else []
    return found


def _files(dossier: Dossier) -> dict[int, list]:
    """Every version of every file, by criterion, the current version first (one query)."""
    files = defaultdict(list)
    for document in document_selectors.dossier_files(dossier):
        files[document.criterion_id].append(document)
    return files


def _criteria(outline: scoring.Outline, rated: dict, files: dict) -> list[dict]:
    """Every criterion with its answer, its count of current, clean documents and its
    assessment, chapter by chapter."""
    rows = []
    for _chapter, criteria in outline:
        for criterion in criteria:
            criterion.clean_documents = sum(
                1 for d in files.get(criterion.pk, ()) if d.is_current and d.scan_status == CLEAN
            )
            row = selectors.criterion_row(vars(criterion))
            row["assessment"] = rated.get(criterion.pk)
            rows.append(row)
    return rows


def _decorate(dossier: Dossier, rows: list[dict], actions, bound: dict, files: dict) -> None:
    """The files and the forms of the criteria shown."""
    reopened = guards.reopened_criteria(dossier) if actions.upload else set()
    for row in rows:
        code, assessment = row["code"], row["assessment"]
        row["files"] = files.get(row["id"], [])
        if actions.answer:
            row["response_form"] = _response_form(row, bound.get(f"response:{code}"))
        row["frozen"] = reopened is not None and row["id"] not in reopened
        if not row["frozen"]:
            row["upload_form"] = bound.get(f"upload:{code}") or DocumentUploadForm(
                initial={"criterion": code}, auto_id=f"id_upload_{code}_%s"
            )
        if actions.assess:
            initial = {"criterion": code}
            if assessment:
                initial.update(rating=assessment.rating, points=assessment.points,
                               comment=assessment.comment)  # fmt: skip
            row["assessment_form"] = bound.get(f"assess:{code}") or AssessmentForm(
                initial=initial, auto_id=f"id_assess_{code}_%s"
            )


def _response_form(row: dict, submitted: ResponseForm | None) -> ResponseForm:
    """The answer's form; each box names the place where its errors appear, since saving in
    place never swaps the box itself (what is typed meanwhile stays)."""
    code = row["code"]
    form = submitted or ResponseForm(
        initial={"answer": row["answer"], "self_points": row["self_points"]},
        auto_id=f"id_{code}_%s",
    )
    for name, field in form.fields.items():
        field.widget.attrs["aria-describedby"] = f"id_{code}_{name}_errors"
    form.fields["self_points"].widget.attrs["max"] = row["max_points"]
    return form
