"""The jury's work: a manager sets up the jury, each juror declares their conflicts of interest
per entry (a recused juror never opens nor scores it), scores the shortlisted entries on the
referential's criteria, and submits their sheet; only the chair reopens a submitted sheet,
and the reopening is kept."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from certification import roles
from certification.errors import Conflict, InvalidInput, NotAllowed, NotVisible
from certification.guards import describe, missing
from certification.models import Campaign, Dossier, Scheme

from .models import (
    Declaration,
    Deliberation,
    Designation,
    Jury,
    JuryMember,
    Publication,
    Reopening,
    Score,
    ScoreSheet,
)  # fmt: skip

# The entries a jury judges: shortlisted, then designated by its chair.
SCORED_STATES = [Dossier.State.SHORTLISTED, Dossier.State.LAUREATE, Dossier.State.FINALIST]


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


@transaction.atomic
def jury_create(*, campaign: Campaign, category_code: str | None, name: str,
                members: list[str], chair: str, by) -> Jury:  # fmt: skip
    """A jury for a trophy campaign, or for one of its categories, from existing jurors."""
    if not roles.is_manager(by):
        raise NotAllowed(_("Only programme managers set up juries."))
    if campaign.scheme.kind != Scheme.Kind.TROPHY:
        raise _invalid("campaign", _("Only trophy campaigns have juries."))
    category = None
    if category_code:
        category = campaign.categories.filter(code=category_code).first()
        if category is None:
            raise _invalid(
                "category", _("Unknown category “%s” for this campaign.") % category_code
            )
    if Jury.objects.filter(campaign=campaign, category=category).exists():
        raise Conflict(_("This campaign or category already has a jury."))
    usernames = list(dict.fromkeys([*members, chair]))
    jurors = {u.username: u for u in get_user_model().objects.filter(
        username__in=usernames, groups__name=roles.JURORS_GROUP, is_active=True)}  # fmt: skip
    unknown = [name for name in usernames if name not in jurors]
    if unknown:
        raise _invalid("members", _("Not jurors: %s.") % ", ".join(unknown))
    jury = Jury.objects.create(campaign=campaign, category=category, name=name)
    JuryMember.objects.bulk_create(
        JuryMember(jury=jury, juror=jurors[username], is_chair=username == chair)
        for username in usernames
    )
    return jury


def jury_of(dossier: Dossier) -> Jury | None:
    """The jury of the entry's category, or else the campaign's (remembered on the dossier
    instance: the policy, the guards and the services all ask)."""
    if "_jury" not in dossier.__dict__:
        juries = Jury.objects.filter(campaign_id=dossier.campaign_id)
        dossier._jury = _jury_among(juries, dossier.category_id)
    return dossier._jury


def _jury_among(juries, category_id) -> Jury | None:
    """Of a campaign's juries, the one judging this category: its own, or the campaign's."""
    fitting = [j for j in juries if j.category_id in (category_id, None)]
    return min(fitting, key=lambda j: j.category_id is None, default=None)


def deliberation_of(dossier: Dossier) -> Deliberation | None:
    """The closed deliberation on the entry's category, if its jury has closed it."""
    jury = jury_of(dossier)
    if jury is None:
        return None
    return Deliberation.objects.filter(jury=jury, category_id=dossier.category_id).first()


def published(campaign_id) -> bool:
    return Publication.objects.filter(campaign_id=campaign_id).exists()


def _unlocked(dossier: Dossier) -> None:
    if deliberation_of(dossier) is not None:
        raise Conflict(_("The jury's deliberation on this category is closed: the scores are "
                         "locked."))  # fmt: skip


def seat_of(user, dossier: Dossier) -> JuryMember:
    """The user's seat on the entry's jury: 404 for anyone else (the entry is not theirs to
    see), 409 while the entry is not shortlisted."""
    jury = jury_of(dossier)
    seat = jury and jury.members.filter(juror_id=user.pk).select_related("jury").first()
    if seat is None or dossier.state not in SCORED_STATES:
        raise NotVisible(_("No such entry."))
    return seat


@transaction.atomic
def declare(*, dossier: Dossier, by, has_conflict: bool, reason: str = "") -> Declaration:
    """Before opening an entry, the juror declares: no conflict (the entry opens to them),
    or a conflict with its reason (a recusal: they never open nor score it)."""
    seat = seat_of(by, dossier)
    _unlocked(dossier)
    if has_conflict and not reason.strip():
        raise _invalid("reason", _("Say what the conflict of interest is (reason)."))
    if Declaration.objects.filter(member=seat, dossier=dossier).exists():
        raise Conflict(_("You have already declared for this entry."))
    declaration = Declaration.objects.create(
        member=seat, dossier=dossier, has_conflict=has_conflict, reason=reason.strip()
    )
    if not has_conflict:
        assign_perm(roles.VIEW, by, dossier)
    return declaration


def _open_seat(by, dossier: Dossier) -> JuryMember:
    seat = seat_of(by, dossier)
    _unlocked(dossier)
    declaration = Declaration.objects.filter(member=seat, dossier=dossier).first()
    if declaration is None:
        raise Conflict(_("Declare your conflicts of interest for this entry first."))
    if declaration.has_conflict:
        raise NotAllowed(_("You recused yourself from this entry."))
    return seat


def _draft(seat: JuryMember, dossier: Dossier) -> ScoreSheet:
    sheet, _created = ScoreSheet.objects.get_or_create(member=seat, dossier=dossier)
    if sheet.submitted_at is not None:
        raise Conflict(_("Your score sheet is submitted: only the chair can reopen it."))
    return sheet


@transaction.atomic
def score_save(*, dossier: Dossier, by, criterion_code: str, points: int, comment: str = ""
               ) -> Score:  # fmt: skip
    seat = _open_seat(by, dossier)
    criterion = dossier.referential.criteria.filter(code=criterion_code).first()
    if criterion is None:
        raise _invalid("criterion", _("Unknown criterion “%s” for this entry.") % criterion_code)
    if not 0 <= points <= criterion.max_points:
        raise _invalid("points", _("Points for %(code)s go from 0 to %(max)d.")
                       % {"code": criterion.code, "max": criterion.max_points})  # fmt: skip
    sheet = _draft(seat, dossier)
    score, _created = Score.objects.update_or_create(
        sheet=sheet, criterion=criterion, defaults={"points": points, "comment": comment}
    )
    return score


@transaction.atomic
def sheet_submit(*, dossier: Dossier, by) -> ScoreSheet:
    """Every criterion scored (and commented where the campaign says so)."""
    seat = _open_seat(by, dossier)
    sheet = _draft(seat, dossier)
    scored = {s.criterion_id: s for s in sheet.scores.all()}
    criteria = list(dossier.referential.criteria.order_by("order", "code"))
    unscored = [c.code for c in criteria if c.pk not in scored]
    if unscored:
        raise Conflict(_("Criteria not scored yet: %s.") % ", ".join(unscored))
    if dossier.campaign.jury_comments_required:
        bare = [c.code for c in criteria if not scored[c.pk].comment.strip()]
        if bare:
            raise Conflict(_("This campaign asks for a comment on each criterion: %s.")
                           % ", ".join(bare))  # fmt: skip
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["submitted_at", "updated_at"])
    return sheet


@transaction.atomic
def sheet_reopen(*, sheet: ScoreSheet, by, reason: str) -> ScoreSheet:
    """The chair sends a submitted sheet back to its juror; the reopening is kept."""
    chair = sheet.member.jury.members.filter(juror_id=by.pk, is_chair=True).exists()
    if not chair:
        raise NotAllowed(_("Only the jury's chair reopens a score sheet."))
    if sheet.submitted_at is None:
        raise Conflict(_("This score sheet is not submitted."))
    _unlocked(sheet.dossier)
    if not reason.strip():
        raise _invalid("reason", _("Say why the sheet is reopened (reason)."))
    Reopening.objects.create(sheet=sheet, by=by, reason=reason.strip())
    sheet.submitted_at = None
    sheet.save(update_fields=["submitted_at", "updated_at"])
    return sheet


def _person(user) -> str:
    return user.get_full_name() or user.username


def _category_judged(jury: Jury, category_code: str | None):
    """The category of the jury's campaign a deliberation is about: the jury's own, one of
    the campaign's for a campaign-wide jury, or none where the campaign has no categories."""
    if jury.category_id:
        if category_code and category_code != jury.category.code:
            raise _invalid("category", _("This jury judges “%s” only.") % jury.category.code)
        return jury.category
    categories = jury.campaign.categories.all()
    if not categories:
        return None
    category = next((c for c in categories if c.code == category_code), None)
    if category is None:
        raise _invalid("category", _("Name the category to close among: %s.")
                       % ", ".join(c.code for c in categories))  # fmt: skip
    if Jury.objects.filter(campaign_id=jury.campaign_id, category=category).exists():
        raise _invalid("category", _("“%s” has a jury of its own.") % category.code)
    return category


@transaction.atomic
def deliberation_close(*, jury: Jury, category_code: str | None, by) -> Deliberation:
    """The chair closes the deliberation on a category once every juror has submitted a sheet
    for every entry they did not recuse themselves from: the scores lock and the record is
    kept, with the rankings before and after normalisation."""
    from .results import jury_results

    if not jury.members.filter(juror_id=by.pk, is_chair=True).exists():
        raise NotAllowed(_("Only the jury's chair closes its deliberation."))
    category = _category_judged(jury, category_code)
    Jury.objects.select_for_update().filter(pk=jury.pk).get()  # one close at a time
    if Deliberation.objects.filter(jury=jury, category=category).exists():
        raise Conflict(_("The deliberation on this category is already closed."))
    entries = list(
        Dossier.objects.filter(campaign_id=jury.campaign_id, category=category,
                               state=Dossier.State.SHORTLISTED)
        .select_related("collectivity").order_by("collectivity__name")
    )  # fmt: skip
    if not entries:
        raise Conflict(_("No shortlisted entry to deliberate on."))
    members = list(jury.members.select_related("juror").order_by("juror__username"))
    done = set(ScoreSheet.objects.filter(member__jury=jury, dossier__in=entries,
                                         submitted_at__isnull=False)
               .values_list("member_id", "dossier_id"))  # fmt: skip
    recusals = list(
        Declaration.objects.filter(member__jury=jury, dossier__in=entries, has_conflict=True)
        .select_related("member__juror", "dossier__collectivity").order_by("declared_at")
    )  # fmt: skip
    recused = {(d.member_id, d.dossier_id) for d in recusals}
    late = [
        missing("sheet_missing", _("%(juror)s has not submitted a sheet for %(entry)s.")
                % {"juror": _person(m.juror), "entry": e.collectivity.name},
                juror=m.juror.username, entry=e.pk)
        for m in members for e in entries
        if (m.pk, e.pk) not in done and (m.pk, e.pk) not in recused
    ]  # fmt: skip
    if late:
        raise Conflict(describe(late), missing=late)
    [ranked] = jury_results(jury, category_id=category.pk if category else None).values()
    record = {
        "campaign": jury.campaign.name,
        "jury": jury.name,
        "category": category and {"code": category.code, "name": category.name},
        "members": [{"juror": m.juror.username, "name": _person(m.juror),
                     "is_chair": m.is_chair} for m in members],
        "recusals": [{"juror": d.member.juror.username, "name": _person(d.member.juror),
                      "entry": d.dossier_id, "collectivity": d.dossier.collectivity.name,
                      "reason": d.reason, "declared_at": d.declared_at} for d in recusals],
        "rankings": [{"entry": r.entry.pk, "collectivity": r.entry.collectivity.name,
                      "sheets": len(r.sheets), "mean": r.mean, "rank": r.rank, "tied": r.tied,
                      "normalised_mean": r.normalised_mean, "normalised_rank": r.normalised_rank,
                      "normalised_tied": r.normalised_tied, "spread": r.spread}
                     for r in ranked],
        "closed_by": _person(by),
    }  # fmt: skip
    return Deliberation.objects.create(jury=jury, category=category, closed_by=by, record=record)


def _designate(outcome, *, dossier: Dossier, by, citation: str, prize: str = "",
               rank: int | None = None) -> Designation:  # fmt: skip
    return Designation.objects.create(
        dossier=dossier, deliberation=deliberation_of(dossier), outcome=outcome, rank=rank,
        prize=prize, citation=citation, decided_by=by,
    )  # fmt: skip


def laureate_designate(*, dossier: Dossier, by, rank, prize, citation, comment) -> Designation:
    """The effect of designating a laureate (see `certification.lifecycle`)."""
    return _designate(Designation.Outcome.LAUREATE, dossier=dossier, by=by, rank=rank,
                      prize=prize, citation=citation)  # fmt: skip


def finalist_designate(*, dossier: Dossier, by, prize, citation, comment) -> Designation:
    """The effect of designating a finalist."""
    return _designate(Designation.Outcome.FINALIST, dossier=dossier, by=by, prize=prize,
                      citation=citation)  # fmt: skip


@transaction.atomic
def results_publish(*, campaign: Campaign, by) -> Publication:
    """A manager publishes a trophy campaign's results once every shortlisted entry's jury has
    deliberated: the entries left undesignated end as such, each laureate's trophy is issued
    (verifiable like a certificate), and the chapter means the entrants' feedback compares
    with are kept."""
    from certification.services.decisions import award_create

    if not roles.is_manager(by):
        raise NotAllowed(_("Only programme managers publish the results."))
    if campaign.scheme.kind != Scheme.Kind.TROPHY:
        raise _invalid("campaign", _("Only trophy campaigns have results to publish."))
    Campaign.objects.select_for_update().filter(pk=campaign.pk).get()
    if Publication.objects.filter(campaign=campaign).exists():
        raise Conflict(_("The results of this campaign are already published."))
    waiting = list(
        Dossier.objects.filter(campaign=campaign, state=Dossier.State.SHORTLISTED)
        .select_related("collectivity", "category").order_by("collectivity__name")
    )  # fmt: skip
    juries = list(Jury.objects.filter(campaign=campaign))
    closed = {(d.jury_id, d.category_id): d for d in Deliberation.objects.filter(jury__in=juries)}
    deliberations = {}  # each entry's, read in two queries rather than two per entry
    for entry in waiting:
        jury = _jury_among(juries, entry.category_id)
        deliberations[entry.pk] = jury and closed.get((jury.pk, entry.category_id))
    undecided = [e for e in waiting if deliberations[e.pk] is None]
    if undecided:
        entries = [missing("deliberation_open", _("No closed deliberation yet for %s.")
                           % e.collectivity.name, entry=e.pk) for e in undecided]  # fmt: skip
        raise Conflict(describe(entries), missing=entries)
    if not Designation.objects.filter(dossier__campaign=campaign).exists():
        raise Conflict(_("No entry is designated yet."))
    Designation.objects.bulk_create(
        Designation(dossier=e, deliberation=deliberations[e.pk], decided_by=by,
                    outcome=Designation.Outcome.NOT_DESIGNATED)
        for e in waiting
    )  # fmt: skip
    laureates = Dossier.objects.filter(campaign=campaign, state=Dossier.State.LAUREATE)
    for laureate in laureates.select_related("campaign__scheme"):
        award_create(dossier=laureate, level=None)
    return Publication.objects.create(campaign=campaign, published_by=by,
                                      chapter_means=_chapter_means(campaign))  # fmt: skip


def _chapter_means(campaign: Campaign) -> dict[str, dict[str, float]]:
    """Per category code, each chapter's mean over the entries' means of submitted sheets."""
    from statistics import fmean

    from certification.models import Criterion

    from .results import chapter_scores

    criteria = {c.pk: c for c in Criterion.objects.filter(
        referential_id=campaign.referential_id).select_related("chapter")}  # fmt: skip
    sheets = (ScoreSheet.objects.filter(dossier__campaign=campaign, submitted_at__isnull=False,
                                        dossier__state__in=SCORED_STATES)
              .select_related("dossier__category").prefetch_related("scores"))  # fmt: skip
    per_entry = {}
    for sheet in sheets:
        category = sheet.dossier.category.code if sheet.dossier.category else ""
        per_entry.setdefault((category, sheet.dossier_id), []).append(
            chapter_scores(sheet.scores.all(), criteria)
        )
    means: dict[str, dict[str, list[float]]] = {}
    for (category, _entry), rows in per_entry.items():
        for chapter in rows[0]:
            means.setdefault(category, {}).setdefault(chapter, []).append(
                fmean(row[chapter] for row in rows)
            )
    return {category: {chapter: round(fmean(values), 2) for chapter, values in chapters.items()}
            for category, chapters in means.items()}  # fmt: skip


@transaction.atomic
def jurors_remind(*, jury: Jury, by) -> list[str]:
    """The chair (or a manager) reminds the jurors who still have entries to declare on or
    sheets to submit; each reminder is dated on the juror's seat. Returns their usernames."""
    from .selectors import jury_progress
    from .tasks import remind_juror

    chair = jury.members.filter(juror_id=by.pk, is_chair=True).exists()
    if not (chair or roles.is_manager(by)):
        raise NotAllowed(_("Only the jury's chair and managers remind its jurors."))
    late = [row for row in jury_progress(jury) if row["to_do"] > 0]
    if not late:
        raise Conflict(_("Every juror has submitted every sheet."))
    members = JuryMember.objects.filter(jury=jury, juror__username__in=[r["juror"] for r in late])
    members.update(reminded_at=timezone.now())
    for member in members:
        remind_juror.delay_on_commit(member.pk)
    return [row["juror"] for row in late]
