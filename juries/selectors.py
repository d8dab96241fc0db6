"""Reads of the jury's work, with the access rules applied."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from certification import roles
from certification.errors import NotVisible
from certification.models import Dossier
from certification.selectors import is_id

from .models import Declaration, Jury, JuryMember, ScoreSheet
from .services import SCORED_STATES, seat_of


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
