"""Renewing a label: from `RENEWAL_MONTHS` before it expires, the collectivity's referent opens a
new dossier in an open campaign of the same scheme, on that campaign's referential (the version
then in force), prefilled with the last answers and the evidence, criterion by criterion code.

The evidence is carried over by reference: the new dossier's files name the same stored
objects (nothing is copied in the store), already scanned, and each says where it came from
(`Document.carried_from`). A criterion the new referential no longer has is left behind."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..errors import Conflict, InvalidInput
from ..models import Award, Campaign, CriterionResponse, Dossier
from . import dossiers


def renewal_opens_on(award: Award):
    return award.valid_until - relativedelta(months=settings.RENEWAL_MONTHS)


def renewal_campaigns(award: Award):
    """The open campaigns of the label's scheme."""
    scheme = award.dossier.campaign.scheme_id
    return list(Campaign.objects.open().filter(scheme_id=scheme).order_by("-opens_at"))


@transaction.atomic
def dossier_renew(*, award: Award, campaign: Campaign, by, category_code: str | None = None
                  ) -> Dossier:  # fmt: skip
    from documents.models import Document  # the documents app depends on this one

    old = award.dossier
    if award.status not in (Award.Status.ACTIVE, Award.Status.SUSPENDED):
        raise Conflict(_("Only a valid label is renewed; apply again instead."))
    today = timezone.localdate()
    if today < renewal_opens_on(award):
        raise Conflict(
            _("The renewal opens on %s, %d months before the label expires.")
            % (date_format(renewal_opens_on(award), "DATE_FORMAT"), settings.RENEWAL_MONTHS)
        )
    if campaign.scheme_id != old.campaign.scheme_id:
        message = _("A label is renewed in a campaign of its own scheme.")
        raise InvalidInput(message, errors={"campaign": [message]})
    if award.renewals.exclude(state=Dossier.State.WITHDRAWN).exists():
        raise Conflict(_("This label already has a renewal dossier."))
    if old.category_id and not category_code:
        category_code = (
            campaign.categories.filter(code=old.category.code)
            .values_list("code", flat=True)
            .first()
        )
    dossier = dossiers.dossier_create(
        collectivity=old.collectivity, campaign=campaign, category_code=category_code, by=by
    )
    dossier.renews = award
    dossier.save(update_fields=["renews"])
    criteria = {c.code: c for c in dossier.referential.criteria.all()}
    CriterionResponse.objects.bulk_create(
        CriterionResponse(dossier=dossier, criterion=criteria[r.criterion.code], answer=r.answer,
                          self_points=r.self_points, updated_by=by)
        for r in old.responses.select_related("criterion")
        if r.criterion.code in criteria
        and (r.self_points is None or r.self_points <= criteria[r.criterion.code].max_points)
    )  # fmt: skip
    carried = old.documents.filter(is_current=True, scan_status=Document.ScanStatus.CLEAN)
    Document.objects.bulk_create(
        Document(dossier=dossier, criterion=criteria[d.criterion.code], filename=d.filename,
                 size=d.size, sha256=d.sha256, content_type=d.content_type, key=d.key,
                 scan_status=d.scan_status, scan_detail=d.scan_detail, scanned_at=d.scanned_at,
                 version=1, is_current=True, carried_from=d, uploaded_by=d.uploaded_by)
        for d in carried.select_related("criterion")
        if d.criterion.code in criteria
    )  # fmt: skip
    return dossier
