from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .selectors import STATUS_LABELS, juror_entries


@translation.override(settings.LANGUAGE_CODE)  # mail goes out in the site's language
def remind_juror(member) -> int:
    """Mail the juror what they still have to do for the jury."""
    juror = member.juror
    waiting = [row for row in juror_entries(juror)
               if row["entry"].campaign_id == member.jury.campaign_id
               and row["status"] in {"to_declare", "not_started", "in_progress"}]  # fmt: skip
    if not juror.email or not waiting:
        return 0
    lines = [f"- {r['entry'].collectivity.name}: {STATUS_LABELS[r['status']]}" for r in waiting]
    body = _(
        "The chair of the jury “%(jury)s” reminds you that these entries await you:\n\n"
        "%(entries)s\n\nYour entries: %(url)s"
    ) % {"jury": member.jury.name, "entries": "\n".join(lines),
         "url": settings.PUBLIC_URL.rstrip("/") + reverse("jury-entries")}  # fmt: skip
    subject = _("[labelflow] Jury “%s”: entries await your scores") % member.jury.name
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [juror.email])
