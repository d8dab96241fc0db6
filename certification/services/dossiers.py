from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import categories, policy, roles
from ..errors import Conflict, InvalidInput, NotAllowed
from ..models import Campaign, Collectivity, CriterionResponse, Dossier, Membership
from . import permissions


@transaction.atomic
def dossier_create(*, collectivity: Collectivity, campaign: Campaign, category_code: str | None,
                   by) -> Dossier:  # fmt: skip
    policy.may_open_dossier(by, collectivity).enforce()
    if not campaign.is_open():
        raise Conflict(_("The campaign “%s” is not open.") % campaign)
    category = categories.choose(list(campaign.categories.all()), collectivity, category_code)
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                collectivity=collectivity, campaign=campaign, category=category,
                referential_id=campaign.referential_id, created_by=by,
            )  # fmt: skip
    except IntegrityError as exc:
        raise Conflict(
            _("%(collectivity)s already has an active dossier for %(campaign)s.")
            % {"collectivity": collectivity, "campaign": campaign}
        ) from exc
    permissions.grant_collectivity_access(dossier)
    return dossier


@transaction.atomic
def response_save(*, dossier: Dossier, criterion_code: str, answer: str,
                  self_points: int | None, by) -> CriterionResponse:  # fmt: skip
    policy.may_answer(by, dossier).enforce()
    criterion = dossier.referential.criteria.filter(code=criterion_code).first()
    if criterion is None:
        raise InvalidInput(_("Unknown criterion “%s” for this dossier.") % criterion_code)
    if self_points is not None and not 0 <= self_points <= criterion.max_points:
        raise InvalidInput(
            _("Points for %(code)s go from 0 to %(max)d.")
            % {"code": criterion.code, "max": criterion.max_points}
        )
    response, _created = CriterionResponse.objects.update_or_create(
        dossier=dossier, criterion=criterion,
        defaults={"answer": answer.strip(), "self_points": self_points, "updated_by": by},
    )  # fmt: skip
    return response


@transaction.atomic
def collectivity_create(*, by, **fields) -> Collectivity:
    if not roles.is_manager(by):
        raise NotAllowed(_("Only programme managers register collectivities."))
    collectivity = Collectivity(**fields)
    try:
        collectivity.full_clean()
    except ValidationError as exc:
        raise InvalidInput(
            " ".join(m for ms in exc.message_dict.values() for m in ms), errors=exc.message_dict
        ) from exc
    collectivity.save()
    return collectivity


@transaction.atomic
def member_add(*, collectivity: Collectivity, username: str, role: str, by) -> Membership:
    policy.may_add_member(by, collectivity).enforce()
    if role not in Membership.Role.values:
        raise InvalidInput(_("The role must be one of: %s.") % ", ".join(Membership.Role.values))
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput(_("No active user is named “%s”.") % username)
    membership, _created = Membership.objects.update_or_create(
        user=user, collectivity=collectivity, defaults={"role": role}
    )
    permissions.set_member_role(user, collectivity.pk, role)
    return membership
