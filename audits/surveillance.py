"""Surveillance audits of valid labels: opened by the scheduler on their due dates, assigned by a
manager, run by their auditor on the criteria the referential names for surveillance
(`Criterion.surveyed`) and on the open minor findings, concluded by keeping the label or by
recommending its suspension (decided by the committee or a manager through `suspend`)."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from certification import roles
from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.models import Award, Criterion

from .models import Finding, Surveillance, SurveillanceCheck

OPEN_STATES = [Surveillance.State.OPEN, Surveillance.State.ASSIGNED]


def due_dates(award: Award) -> list[date]:
    """Every `surveillance_months` from the start of validity, before its end."""
    months = award.dossier.campaign.scheme.surveillance_months
    if not months:
        return []
    dates, k = [], 1
    while (due := award.valid_from + relativedelta(months=k * months)) < award.valid_until:
        dates.append(due)
        k += 1
    return dates


def open_due(today: date | None = None) -> int:
    """Open the surveillance audits that are due (Celery beat, daily): once per award and
    due date, however often it runs (a unique constraint, conflicts ignored). Returns how many
    it opened."""
    today = today or timezone.localdate()
    awards = Award.objects.filter(status=Award.Status.ACTIVE, valid_until__gt=today)
    awards = awards.select_related("dossier__campaign__scheme")
    due = [
        Surveillance(award=award, dossier=award.dossier, due_date=when)
        for award in awards.iterator(chunk_size=2000)
        for when in due_dates(award)
        if when <= today
    ]
    before = Surveillance.objects.count()
    Surveillance.objects.bulk_create(due, batch_size=2000, ignore_conflicts=True)
    return Surveillance.objects.count() - before


def _is_manager(by) -> None:
    if not roles.is_manager(by):
        raise NotAllowed(_("Only programme managers assign surveillance audits."))


@transaction.atomic
def surveillance_assign(*, surveillance: Surveillance, auditor_username: str, by
                        ) -> Surveillance:  # fmt: skip
    """A manager gives the surveillance audit to an auditor (not a member of the collectivity),
    who then sees the dossier."""
    _is_manager(by)
    surveillance = Surveillance.objects.select_for_update().get(pk=surveillance.pk)
    if surveillance.state not in OPEN_STATES:
        raise Conflict(_("This surveillance audit is concluded."))
    auditors = get_user_model().objects.filter(groups__name=roles.AUDITORS_GROUP, is_active=True)
    auditor = auditors.filter(username=auditor_username).first()
    if auditor is None:
        raise InvalidInput(_("“%s” is not an auditor.") % auditor_username)
    dossier = surveillance.dossier
    if dossier.collectivity.memberships.filter(user=auditor).exists():
        raise InvalidInput(_("An auditor may not audit their own collectivity."))
    surveillance.auditor, surveillance.state = auditor, Surveillance.State.ASSIGNED
    surveillance.save(update_fields=["auditor", "state"])
    assign_perm(roles.VIEW, auditor, dossier)
    return surveillance


def surveillance_items(surveillance: Surveillance) -> list[dict]:
    """What the auditor checks: each criterion the referential names for surveillance, and
    each criterion with an open minor finding, with its check so far."""
    dossier = surveillance.dossier
    findings = {
        f.criterion_id: f
        for f in dossier.findings.filter(
            severity=Finding.Severity.MINOR, status=Finding.Status.OPEN
        )  # fmt: skip
    }
    criteria = Criterion.objects.filter(referential_id=dossier.referential_id)
    criteria = [c for c in criteria.order_by("order", "code") if c.surveyed or c.pk in findings]
    checks = {c.criterion_id: c for c in surveillance.checks.all()}
    return [
        {"criterion": c, "finding": findings.get(c.pk), "check": checks.get(c.pk)} for c in criteria
    ]


def _may_run(surveillance: Surveillance, by) -> None:
    if surveillance.auditor_id != by.pk:
        raise NotAllowed(_("Only the auditor of this surveillance audit runs it."))
    if surveillance.state != Surveillance.State.ASSIGNED:
        raise Conflict(_("This surveillance audit is not in progress."))


def surveillance_check(*, surveillance: Surveillance, by, criterion_code: str, result: str,
                       comment: str = "") -> SurveillanceCheck:  # fmt: skip
    _may_run(surveillance, by)
    item = next((i for i in surveillance_items(surveillance)
                 if i["criterion"].code == criterion_code), None)  # fmt: skip
    if item is None:
        raise InvalidInput(
            _("%s is not checked in this surveillance audit.") % criterion_code,
            errors={"criterion": [_("Not checked in this surveillance audit.")]},
        )
    if result not in SurveillanceCheck.Result.values:
        raise InvalidInput(_("The result must be one of: %s.")
                           % ", ".join(SurveillanceCheck.Result.values))  # fmt: skip
    check, _created = SurveillanceCheck.objects.update_or_create(
        surveillance=surveillance, criterion=item["criterion"],
        defaults={"result": result, "comment": comment, "finding": item["finding"]},
    )  # fmt: skip
    return check


@transaction.atomic
def surveillance_conclude(*, surveillance: Surveillance, by, outcome: str, conclusion: str
                          ) -> Surveillance:  # fmt: skip
    """Every item checked first. Keeping the label closes the minor findings found conform;
    a major nonconformity found leaves only the recommendation to suspend."""
    _may_run(surveillance, by)
    if outcome not in Surveillance.Outcome.values:
        raise InvalidInput(_("The outcome must be “keep” or “suspend”."))
    items = surveillance_items(surveillance)
    unchecked = [i["criterion"].code for i in items if i["check"] is None]
    if unchecked:
        raise Conflict(_("Not checked yet: %s.") % ", ".join(unchecked))
    majors = [i["criterion"].code for i in items if i["check"].result == "major_nc"]
    if outcome == Surveillance.Outcome.KEEP and majors:
        raise Conflict(
            _("A major nonconformity was found (%s): recommend the suspension.") % ", ".join(majors)
        )
    if outcome == Surveillance.Outcome.SUSPEND and not conclusion.strip():
        message = _("Say why the suspension is recommended (conclusion).")
        raise InvalidInput(message, errors={"conclusion": [message]})
    now = timezone.now()
    resolved = [i["finding"].pk for i in items if i["finding"] and i["check"].result == "conform"]
    Finding.objects.filter(pk__in=resolved).update(status=Finding.Status.CLOSED, closed_at=now)
    surveillance.state, surveillance.outcome = Surveillance.State.CONCLUDED, outcome
    surveillance.conclusion, surveillance.concluded_at = conclusion, now
    surveillance.save(update_fields=["state", "outcome", "conclusion", "concluded_at"])
    return surveillance
