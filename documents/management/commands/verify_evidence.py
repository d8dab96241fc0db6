from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certification.errors import StoreUnavailable
from documents.integrity import EvidenceCheck, verify_evidence


class Command(BaseCommand):
    help = (
        "Read every evidence file, current or past, back from the object store and name those "
        "missing or whose SHA-256 no longer matches the one recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossier", type=int, help="check only this dossier's files")

    def handle(self, *args, **options):
        try:
            check = verify_evidence(dossier_id=options["dossier"])
        except StoreUnavailable as exc:
            raise CommandError(exc.detail) from exc
        for document in check.missing:
            self.stderr.write(_("dossier %(dossier)s, file %(file)s (%(key)s): missing") % {
                "dossier": document.dossier_id, "file": document.filename, "key": document.key,
            })  # fmt: skip
        for document in check.altered:
            self.stderr.write(_("dossier %(dossier)s, file %(file)s (%(key)s): altered") % {
                "dossier": document.dossier_id, "file": document.filename, "key": document.key,
            })  # fmt: skip
        summary = _summary(check)
        if not check.intact:
            failed = len(check.missing) + len(check.altered)
            raise CommandError(ngettext(
                "%(count)d file missing or altered (%(summary)s).",
                "%(count)d files missing or altered (%(summary)s).",
                failed,
            ) % {"count": failed, "summary": summary})  # fmt: skip
        self.stdout.write(self.style.SUCCESS(
            _("Every file is intact (%(summary)s).") % {"summary": summary}
        ))  # fmt: skip


def _summary(check: EvidenceCheck) -> str:
    files = ngettext("%(count)d file", "%(count)d files", check.files) % {"count": check.files}
    size = ngettext("%(count)d byte", "%(count)d bytes", check.bytes) % {"count": check.bytes}
    return _("%(files)s and %(bytes)s checked") % {"files": files, "bytes": size}
