from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _

from ..lifecycle import STEPS
from ..models import Membership, TransitionLog


def recipients_for(log: TransitionLog) -> list[str]:
    """The collectivity's referents and the dossier's auditors hear of every step (but of a
    jury's designations, which stay under embargo until the results are published); managers
    and the committee when the next move is theirs."""
    dossier = log.dossier
    people = get_user_model().objects.filter(is_active=True)
    step = STEPS.get(log.transition)
    users = people.filter(assignments__dossier=dossier, assignments__ended_at__isnull=True)
    if not (step and step.embargoed):
        users = users.union(people.filter(
            memberships__collectivity=dossier.collectivity_id,
            memberships__role=Membership.Role.REFERENT,
        ))  # fmt: skip
    if step and step.next_to_act:
        users = users.union(people.filter(groups__name=step.next_to_act))
    return sorted({u.email for u in users if u.email})


@translation.override(settings.LANGUAGE_CODE)  # mail goes out in the site's language
def notify_transition(log: TransitionLog) -> int:
    recipients = recipients_for(log)
    if not recipients:
        return 0
    dossier = log.dossier
    subject = _("[labelflow] %(dossier)s: %(state)s") % {
        "dossier": dossier, "state": dossier.State(log.target).label,
    }  # fmt: skip
    body = _("The dossier “%(dossier)s” moved from “%(source)s” to “%(target)s”.") % {
        "dossier": dossier,
        "source": dossier.State(log.source).label,
        "target": dossier.State(log.target).label,
    }
    if log.comment:
        body += "\n\n" + log.comment
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    return send_mass_mail(messages, fail_silently=False)
