"""Reads of the jury's work, with the access rules applied."""

from statistics import fmean

from django.db.models import Count, F, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification import roles
from certification.errors import Conflict, NotVisible
from certification.models import Campaign, Dossier
from certification.selectors import is_id

from .models import (
    Declaration,
    Deliberation,
    Designation,
    Jury,
    JuryMember,
    Publication,
    ScoreSheet,
)  # fmt: skip
from .services import SCORED_STATES, seat_of

# Where a juror stands on an entry.
STATUS_LABELS = {
    "to_declare": gettext_lazy("declare your conflicts of interest"),
    "recused": gettext_lazy("recused"),
    "not_started": gettext_lazy("not started"),
    "in_progress": gettext_lazy("in progress"),
    "submitted": gettext_lazy("submitted"),
}


def get_entry_for(user, pk) -> Dossier:
    """A trophy entry, for its jury's members and managers: before they declared, jurors
    cannot see the dossier itself, but they can declare on it and score it. 404 otherwise."""
    entry = None
    if is_id(pk):
        entry = Dossier.objects.select_related("campaign", "referential").filter(pk=pk).first()
    if entry is None:
        raise NotVisible(_("No such entry."))
    if not roles.is_manager(user):
        seat_of(user, entry)  # 404 for anyone not on its jury
    return entry


def juror_entries(user) -> list[dict]:
    """The shortlisted entries of the user's juries, each with where the juror stands: to
    declare, recused, not started, in progress (n of m scored) or submitted. Three queries
    whatever the number of entries."""
    seats = list(JuryMember.objects.filter(juror_id=user.pk).select_related("jury"))
    if not seats:
        return []
    match = Q(pk__in=[])
    for seat in seats:
        jury = Q(campaign_id=seat.jury.campaign_id)
        if seat.jury.category_id:
            jury &= Q(category_id=seat.jury.category_id)
        match |= jury
    entries = list(
        Dossier.objects.filter(match, state__in=SCORED_STATES)
        .select_related("collectivity", "campaign", "category")
        .annotate(criteria=Count("referential__criteria", distinct=True))
        .order_by("campaign_id", "category_id", "collectivity__name")
    )
    declared = {d.dossier_id: d for d in Declaration.objects.filter(member__in=seats)}
    sheets = {
        s.dossier_id: s
        for s in ScoreSheet.objects.filter(member__in=seats).annotate(scored=Count("scores"))
    }
    rows = []
    for entry in entries:
        declaration, sheet = declared.get(entry.pk), sheets.get(entry.pk)
        if declaration is None:
            status = "to_declare"
        elif declaration.has_conflict:
            status = "recused"
        elif sheet is None or not sheet.scored:
            status = "not_started"
        elif sheet.submitted_at is None:
            status = "in_progress"
        else:
            status = "submitted"
        rows.append({"entry": entry, "status": status, "scored": sheet.scored if sheet else 0,
                     "criteria": entry.criteria})  # fmt: skip
    return rows


def sheets_for(user, dossier: Dossier) -> list[ScoreSheet]:
    """The juror's own sheet on the entry; every sheet for the jury's chair (not recused from
    it) and for managers."""
    sheets = ScoreSheet.objects.filter(dossier=dossier).select_related("member__juror")
    sheets = sheets.prefetch_related("scores__criterion").order_by("member__juror__username")
    if roles.is_manager(user):
        return list(sheets)
    seat = seat_of(user, dossier)
    recused = Declaration.objects.filter(member=seat, dossier=dossier, has_conflict=True)
    if recused.exists():
        raise NotVisible(_("No such entry."))
    return list(sheets if seat.is_chair else sheets.filter(member=seat))


def get_sheet_for(user, pk) -> ScoreSheet:
    """A score sheet, for its jury's members and managers (404 otherwise)."""
    sheet = None
    if is_id(pk):
        sheet = ScoreSheet.objects.select_related("member__jury", "dossier").filter(pk=pk).first()
    visible = sheet is not None and (
        roles.is_manager(user) or sheet.member.jury.members.filter(juror_id=user.pk).exists()
    )
    if not visible:
        raise NotVisible(_("No such score sheet."))
    return sheet


def juries_for(user, campaign_id=None):
    """The juries a manager oversees (all) or a juror sits on, newest campaign first, each
    with its members: three queries whatever their number."""
    juries = Jury.objects.select_related("campaign", "category").prefetch_related(
        Prefetch("members", JuryMember.objects.select_related("juror"))
    )
    if not roles.is_manager(user):
        juries = juries.filter(members__juror_id=user.pk)
    if campaign_id is not None:
        juries = juries.filter(campaign_id=campaign_id)
    return juries.order_by("-campaign__opens_at", "category__code", "id")


def get_jury_for_chair(user, pk) -> Jury:
    """A jury, for its chair and managers; 404 for anyone else."""
    jury = Jury.objects.select_related("campaign").filter(pk=pk).first() if is_id(pk) else None
    if jury is None or not (
        roles.is_manager(user) or jury.members.filter(juror_id=user.pk, is_chair=True).exists()
    ):
        raise NotVisible(_("No such jury."))
    return jury


def jury_progress(jury: Jury) -> list[dict]:
    """Who has done what: per juror, the sheets submitted and in progress, the recusals, out
    of the jury's entries (two queries)."""
    members = list(jury.members.select_related("juror").order_by("juror__username").annotate(
        submitted=Count("sheets", filter=Q(sheets__submitted_at__isnull=False), distinct=True),
        drafts=Count("sheets", filter=Q(sheets__submitted_at__isnull=True), distinct=True),
        recused=Count("declarations", filter=Q(declarations__has_conflict=True), distinct=True),
    ))  # fmt: skip
    entries = Dossier.objects.filter(campaign_id=jury.campaign_id, state__in=SCORED_STATES)
    if jury.category_id:
        entries = entries.filter(category_id=jury.category_id)
    total = entries.count()
    return [{"juror": m.juror.username, "is_chair": m.is_chair, "submitted": m.submitted,
             "in_progress": m.drafts, "recused": m.recused,
             "to_do": total - m.submitted - m.recused} for m in members]  # fmt: skip


def get_deliberation_for(user, pk) -> Deliberation:
    """A closed deliberation, for its jury's members and managers; 404 for anyone else."""
    deliberation = None
    if is_id(pk):
        deliberation = (Deliberation.objects.select_related("jury__campaign", "category")
                        .filter(pk=pk).first())  # fmt: skip
    visible = deliberation is not None and (
        roles.is_manager(user) or deliberation.jury.members.filter(juror_id=user.pk).exists()
    )
    if not visible:
        raise NotVisible(_("No such deliberation."))
    return deliberation


def laureates(campaign_id) -> tuple[Campaign, list[Designation]]:
    """A published campaign's laureates and finalists, by category then rank (public; 404
    before the results are published). Two queries."""
    publication = None
    if is_id(campaign_id):
        publication = (Publication.objects.select_related("campaign__scheme")
                       .filter(campaign_id=campaign_id).first())  # fmt: skip
    if publication is None:
        raise NotVisible(_("No published results for this campaign."))
    designations = list(
        Designation.objects.filter(
            dossier__campaign_id=campaign_id,
            outcome__in=[Designation.Outcome.LAUREATE, Designation.Outcome.FINALIST],
        )
        .select_related("dossier__collectivity", "dossier__category", "dossier__certificate")
        .order_by(F("dossier__category__min_population").asc(nulls_first=True),
                  "dossier__category__code", "-outcome",  # laureates, then finalists
                  F("rank").asc(nulls_last=True),
                  "dossier__collectivity__name")
    )  # fmt: skip
    return publication.campaign, designations


def published_campaigns() -> list[Publication]:
    return list(Publication.objects.select_related("campaign__scheme")
                .order_by("-campaign__year", "campaign__name"))  # fmt: skip


def feedback_for(user, dossier: Dossier) -> dict:
    """What the jury made of the entry, for the entrant once the results are published: the
    outcome and its citation, the shortlist's reason, the entry's mean per chapter against
    the category's (kept at publication), and the jurors' comments without their names."""
    from certification.models import Criterion, Membership, TransitionLog

    from .results import chapter_scores

    entrant = Membership.objects.filter(user_id=user.pk, collectivity_id=dossier.collectivity_id)
    if not (roles.is_manager(user) or entrant.exists()):
        raise NotVisible(_("No such dossier."))
    publication = Publication.objects.filter(campaign_id=dossier.campaign_id).first()
    if publication is None:
        raise Conflict(_("The jury's feedback opens once the results are published."))
    shortlisting = (TransitionLog.objects.filter(dossier=dossier,
                                                 transition__in=["shortlist", "not_shortlist"])
                    .order_by("-at").first())  # fmt: skip
    designation = Designation.objects.filter(dossier=dossier).first()
    criteria = {c.pk: c for c in Criterion.objects.filter(
        referential_id=dossier.referential_id).select_related("chapter")}  # fmt: skip
    sheets = list(ScoreSheet.objects.filter(dossier=dossier, submitted_at__isnull=False)
                  .prefetch_related("scores"))  # fmt: skip
    per_sheet = [chapter_scores(sheet.scores.all(), criteria) for sheet in sheets]
    category = publication.chapter_means.get(dossier.category.code if dossier.category else "", {})
    chapters = {}
    for criterion in sorted(criteria.values(), key=lambda c: (c.chapter.order, c.chapter.code)):
        chapter = criterion.chapter
        if chapter.code not in chapters:
            mean = fmean(row[chapter.code] for row in per_sheet) if per_sheet else None
            chapters[chapter.code] = {"code": chapter.code, "title": chapter.title,
                                      "mean": mean and round(mean, 2),
                                      "category_mean": category.get(chapter.code)}  # fmt: skip
    comments = sorted(
        ((criteria[s.criterion_id], s.comment.strip()) for sheet in sheets
         for s in sheet.scores.all() if s.comment.strip()),
        key=lambda pair: (pair[0].order, pair[0].code, pair[1]),  # no juror's order
    )  # fmt: skip
    return {
        "outcome": designation.outcome if designation else dossier.state,
        "rank": designation.rank if designation else None,
        "prize": designation.prize if designation else "",
        "citation": designation.citation if designation else "",
        "shortlist_reason": shortlisting.comment if shortlisting else "",
        "chapters": list(chapters.values()),
        "comments": [{"criterion": c.code, "title": c.title, "comment": text}
                     for c, text in comments],
        "published_at": publication.published_at,
    }  # fmt: skip
