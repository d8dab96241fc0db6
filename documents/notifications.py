from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _


@translation.override(settings.LANGUAGE_CODE)  # mail goes out in the site's language
def notify_quarantine(document) -> int:
    """Tell the uploader their file was quarantined, and by which signature."""
    if not document.uploaded_by.email:
        return 0
    subject = _("[labelflow] File quarantined: %s") % document.filename
    body = _(
        "The file “%(file)s” you added to the dossier “%(dossier)s” was quarantined by the "
        "virus scan (%(signature)s). Nobody can download it. Upload a clean file for the same "
        "criterion: it replaces this one, which stands in the way of the submission until then."
    ) % {"file": document.filename, "dossier": document.dossier, "signature": document.scan_detail}
    return send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [document.uploaded_by.email])],
        fail_silently=False,
    )
