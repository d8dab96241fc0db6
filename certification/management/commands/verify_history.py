from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certification.errors import StoreUnavailable
from certification.services.history import HistoryCheck, verify_history


class Command(BaseCommand):
    help = (
        "Recompute every dossier's keyed transition-log chain, check it against the latest "
        "checkpoint in the object store, and name the dossiers whose history was altered."
    )

    def handle(self, *args, **options):
        try:
            check = verify_history()
        except StoreUnavailable as exc:
            raise CommandError(exc.detail) from exc
        for dossier_id, reason in check.altered:
            self.stderr.write(_("dossier %(dossier)s: %(reason)s") % {
                "dossier": dossier_id, "reason": reason,
            })  # fmt: skip
        if check.checkpoint_error:
            self.stderr.write(_("checkpoint %(key)s: %(reason)s") % {
                "key": check.checkpoint, "reason": check.checkpoint_error,
            })  # fmt: skip
        summary = _summary(check)
        if check.altered:
            raise CommandError(ngettext(
                "%(count)d dossier with an altered history (%(summary)s).",
                "%(count)d dossiers with an altered history (%(summary)s).",
                len(check.altered),
            ) % {"count": len(check.altered), "summary": summary})  # fmt: skip
        if check.checkpoint_error:
            raise CommandError(_("The checkpoint is refused (%(summary)s).") % {"summary": summary})
        self.stdout.write(self.style.SUCCESS(
            _("Every history is intact (%(summary)s).") % {"summary": summary}
        ))  # fmt: skip


def _summary(check: HistoryCheck) -> str:
    entries = ngettext("%(count)d entry", "%(count)d entries", check.entries) % {
        "count": check.entries
    }
    dossiers = ngettext("%(count)d dossier", "%(count)d dossiers", check.dossiers) % {
        "count": check.dossiers
    }
    checked = _("%(entries)s of %(dossiers)s checked") % {"entries": entries, "dossiers": dossiers}
    if not check.checkpoint:
        return _("%(checked)s; no checkpoint yet") % {"checked": checked}
    return _("%(checked)s, against the checkpoint %(key)s") % {
        "checked": checked, "key": check.checkpoint,
    }  # fmt: skip
