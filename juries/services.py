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
from certification.models import Campaign, Dossier, Scheme

from .models import Declaration, Jury, JuryMember, Reopening, Score, ScoreSheet

SCORED_STATES = [Dossier.State.SHORTLISTED]


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
    """The jury of the entry's category, or else the campaign's."""
    juries = Jury.objects.filter(campaign_id=dossier.campaign_id)
    juries = [j for j in juries if j.category_id in (dossier.category_id, None)]
    return min(juries, key=lambda j: j.category_id is None, default=None)


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
    if not reason.strip():
        raise _invalid("reason", _("Say why the sheet is reopened (reason)."))
    Reopening.objects.create(sheet=sheet, by=by, reason=reason.strip())
    sheet.submitted_at = None
    sheet.save(update_fields=["submitted_at", "updated_at"])
    return sheet
