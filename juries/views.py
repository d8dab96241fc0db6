"""The jurors' pages: their entries, and per entry the declaration of conflicts of interest,
then a split screen with the entry's answers and evidence beside their score sheet (each
criterion saved in place, the sheet submitted once complete). The services decide; these
views validate the forms, call them and show the answer. The chair's and the public's
pages live in `juries.views_chair`."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification.models import Criterion, CriterionResponse
from certification.views.common import attempt
from documents import selectors as document_selectors

from . import selectors, services
from .forms import EntryDeclarationForm, ScoreForm
from .models import Declaration, JuryMember, Score, ScoreSheet

ENTRY_TEMPLATE = "juries/entry.html"
CRITERION_TEMPLATE = "juries/partials/sheet_criterion.html"


@login_required
def jury_entries(request):
    """The juror's shortlisted entries, by campaign then category, with where they stand."""
    groups = {}
    for row in selectors.juror_entries(request.user):
        entry = row["entry"]
        key = (entry.campaign_id, entry.category_id)
        if key not in groups:
            groups[key] = {"campaign": entry.campaign, "category": entry.category, "rows": []}
        row["label"] = selectors.STATUS_LABELS[row["status"]]
        groups[key]["rows"].append(row)
    return render(request, "juries/entries.html", {"groups": list(groups.values())})


@login_required
def jury_entry(request, pk):
    entry, seat = _entry_and_seat(request.user, pk)
    return _show_entry(request, entry, seat)


@login_required
@require_POST
def jury_declaration(request, pk):
    entry, seat = _entry_and_seat(request.user, pk)
    form = EntryDeclarationForm(request.POST, auto_id="id_declaration_%s")
    if not form.is_valid():
        return _show_entry(request, entry, seat, 400, {"declaration": form})
    outcome = attempt(
        request,
        lambda: services.declare(
            dossier=entry, by=request.user, has_conflict=form.cleaned_data["has_conflict"],
            reason=form.cleaned_data["reason"],
        ),
        form=form,
    )  # fmt: skip
    if not outcome:
        return _show_entry(request, entry, seat, outcome.status, {"declaration": form})
    if outcome.value.has_conflict:
        messages.info(request, _("Recusal recorded: you will neither see nor score this entry."))
        return redirect("jury-entries")
    messages.success(request, _("Declaration recorded: the entry is open to you."))
    return redirect("jury-entry", pk=entry.pk)


@login_required
@require_POST
def jury_score(request, pk, code):
    """One criterion's points and comment, saved in place (htmx) or with the whole page."""
    entry, seat = _entry_and_seat(request.user, pk)
    criterion = entry.referential.criteria.filter(code=code).first()
    form = ScoreForm(
        request.POST, auto_id=f"id_score_{code}_%s",
        max_points=criterion.max_points if criterion else 0,
        comment_required=entry.campaign.jury_comments_required,
    )  # fmt: skip
    outcome = None
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.score_save(
                dossier=entry, by=request.user, criterion_code=code,
                points=form.cleaned_data["points"], comment=form.cleaned_data["comment"],
            ),
            announce=not request.htmx, form=form,
        )  # fmt: skip
    status = outcome.status if outcome is not None else 400
    bound = {} if status == 200 else {f"score:{code}": form}
    if not request.htmx:
        if status != 200:
            return _show_entry(request, entry, seat, status, bound)
        messages.success(request, _("Score of %s saved.") % code)
        return _back_to(entry, f"score-{code}")
    context = _entry_context(entry, seat, bound)
    row = next((c for ch in context.get("chapters", []) for c in ch["criteria"]
                if c["criterion"].code == code), None)  # fmt: skip
    if row is None:  # an unknown criterion, or an entry the juror may not score
        error = outcome.error if outcome is not None else ""
        return HttpResponse(error, status=status if status != 200 else 404)
    context.update(
        c=row, oob_status=True,
        score_done=_("Saved.") if status == 200 else "",
        score_error=outcome.error if outcome is not None and status != 200 else "",
    )  # fmt: skip
    return render(request, CRITERION_TEMPLATE, context, status=status)


@login_required
@require_POST
def jury_submit(request, pk):
    entry, seat = _entry_and_seat(request.user, pk)
    outcome = attempt(request, lambda: services.sheet_submit(dossier=entry, by=request.user))
    if not outcome:
        return _show_entry(request, entry, seat, outcome.status)
    messages.success(request, _("Your score sheet is submitted. Only the jury's chair can "
                                "reopen it."))  # fmt: skip
    return _back_to(entry)


# -- What the page shows ------------------------------------------------------------------


def _entry_and_seat(user, pk):
    """The entry and the user's seat on its jury: 404 for anyone else, managers included
    (they follow the entries from the dossier pages; this page is a juror's)."""
    entry = selectors.get_entry_for(user, pk)
    return entry, services.seat_of(user, entry)


def _back_to(entry, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("jury-entry", args=[entry.pk])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _show_entry(request, entry, seat: JuryMember, status: int = 200, bound=None):
    context = _entry_context(entry, seat, bound or {})
    return render(request, ENTRY_TEMPLATE, context, status=status)


def _entry_context(entry, seat: JuryMember, bound: dict) -> dict:
    """The declaration form until the juror declared; nothing of the entry once recused;
    else the answers and evidence by chapter beside the juror's sheet. A fixed number of
    queries whatever the number of criteria, scores and files."""
    declaration = Declaration.objects.filter(member=seat, dossier=entry).first()
    deliberation = services.deliberation_of(entry)
    context = {"entry": entry, "seat": seat, "declaration": declaration,
               "deliberation": deliberation}  # fmt: skip
    if declaration is None:
        if deliberation is None:
            context["declaration_form"] = bound.get("declaration") or EntryDeclarationForm(
                auto_id="id_declaration_%s"
            )
        return context
    if declaration.has_conflict:
        return context
    sheet = ScoreSheet.objects.filter(member=seat, dossier=entry).first()
    scores = {s.criterion_id: s for s in Score.objects.filter(sheet=sheet)} if sheet else {}
    read_only = deliberation is not None or (sheet is not None and sheet.submitted_at)
    chapters = _chapters(entry, scores, None if read_only else bound)
    criteria = sum(len(chapter["criteria"]) for chapter in chapters)
    return {
        **context,
        "chapters": chapters,
        "sheet": sheet,
        "read_only": bool(read_only),
        "scored": len(scores),
        "criteria": criteria,
        "status": _sheet_status(sheet, len(scores)),
    }


def _sheet_status(sheet: ScoreSheet | None, scored: int) -> str:
    if sheet is not None and sheet.submitted_at is not None:
        return "submitted"
    return "in_progress" if scored else "not_started"


def _chapters(entry, scores: dict, bound: dict | None) -> list[dict]:
    """Each chapter with its criteria: the collectivity's answer, self-assessed points and
    current clean evidence, the juror's score and, while the sheet is open, its form."""
    responses = {r.criterion_id: r for r in CriterionResponse.objects.filter(dossier=entry)}
    files = defaultdict(list)
    documents = document_selectors.dossier_documents(entry, current_only=True)
    for document in documents.filter(scan_status="clean"):
        files[document.criterion_id].append(document)
    criteria = (Criterion.objects.filter(referential_id=entry.referential_id)
                .select_related("chapter").order_by("chapter__order", "chapter__code",
                                                    "order", "code"))  # fmt: skip
    chapters = {}
    for criterion in criteria:
        chapter = chapters.setdefault(
            criterion.chapter_id, {"chapter": criterion.chapter, "criteria": []}
        )
        response, score = responses.get(criterion.pk), scores.get(criterion.pk)
        row = {"criterion": criterion, "response": response, "score": score,
               "files": files.get(criterion.pk, []), "form": None}  # fmt: skip
        if bound is not None:
            initial = {"points": score.points, "comment": score.comment} if score else {}
            row["form"] = bound.get(f"score:{criterion.code}") or ScoreForm(
                initial=initial, auto_id=f"id_score_{criterion.code}_%s",
                max_points=criterion.max_points,
                comment_required=entry.campaign.jury_comments_required,
            )  # fmt: skip
        chapter["criteria"].append(row)
    return list(chapters.values())
