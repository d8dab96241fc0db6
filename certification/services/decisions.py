"""The effects of the committee's and the certificate's transitions (see
`certification.lifecycle`): what each records besides the new state."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from .. import selectors
from ..models import Award, Decision, Dossier, Level


def dossier_award(*, dossier: Dossier, by, level: Level | None, comment: str) -> Award:
    """The committee's decision and the certificate, at the level `AwardForm` settled: the
    report's, or another with the committee's reasons."""
    Decision.objects.create(
        dossier=dossier, outcome=Decision.Outcome.AWARD, level=level, reasons=comment,
        decided_by=by,
    )  # fmt: skip
    return award_create(dossier=dossier, level=level)


def award_create(*, dossier: Dossier, level: Level | None, today: date | None = None) -> Award:
    scheme = dossier.campaign.scheme
    today = today or timezone.localdate()
    award = Award.objects.create(
        dossier=dossier, level=level, valid_from=today,
        valid_until=today + relativedelta(months=scheme.validity_months),
        certificate_number=f"pending-{dossier.pk}",
    )  # fmt: skip
    # Numbered from the row's id: unique without a counter table to lock.
    award.certificate_number = f"{scheme.certificate_prefix}-{today.year}-{award.pk:06d}"
    award.save(update_fields=["certificate_number"])
    from documents.tasks import store_certificate  # the documents app depends on this one

    store_certificate.delay_on_commit(award.pk)  # the PDF, drawn and stored by a worker
    transaction.on_commit(selectors.registry_changed)
    return award


def dossier_refuse(*, dossier: Dossier, by, comment: str) -> None:
    Decision.objects.create(
        dossier=dossier, outcome=Decision.Outcome.REFUSE, reasons=comment, decided_by=by
    )


def award_suspend(*, dossier: Dossier, by, comment: str) -> None:
    _award_status(dossier, Award.Status.SUSPENDED)


def award_reinstate(*, dossier: Dossier, by, comment: str) -> None:
    _award_status(dossier, Award.Status.ACTIVE)


def award_revoke(*, dossier: Dossier, by, comment: str) -> None:
    _award_status(dossier, Award.Status.REVOKED)


def award_expire(*, dossier: Dossier, by, comment: str) -> None:
    _award_status(dossier, Award.Status.EXPIRED)


def _award_status(dossier: Dossier, status: str) -> None:
    Award.objects.filter(dossier=dossier).update(status=status)
    transaction.on_commit(selectors.registry_changed)  # the public registry lists it anew
