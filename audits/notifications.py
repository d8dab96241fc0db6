from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _


@translation.override(settings.LANGUAGE_CODE)  # mail goes out in the site's language
def notify_assignment(assignment) -> int:
    """Tell an auditor they were assigned: the dossier opens once they declare."""
    if not assignment.auditor.email:
        return 0
    subject = _("[labelflow] Audit assignment: %s") % assignment.dossier
    body = _(
        "You are assigned to the dossier “%(dossier)s” as %(role)s. Declare your conflicts "
        "of interest from your dashboard to open it."
    ) % {"dossier": assignment.dossier, "role": assignment.get_role_display()}
    return send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [assignment.auditor.email])],
        fail_silently=False,
    )
