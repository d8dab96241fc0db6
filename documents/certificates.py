"""The award's certificate as a PDF: the holder, the scheme and its referential's version, the
level, the number, the validity, and a QR code for the public verification page. A trophy's
says the laureate's category, rank or prize and citation instead.

Drawn once with ReportLab (`invariant`: the same award always gives the same bytes), stored
in the object store under `certificates/`, recorded on the award with its SHA-256. Its
status is not printed: it changes (suspended, revoked, expired), and the QR code leads to
where it is always up to date."""

import hashlib
import io

import segno
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from certification.models import Award

from . import storage

CERTIFICATE_PREFIX = "certificates/"  # never under `dossiers/`: the orphan sweep skips them


def certificate_pdf(award: Award) -> bytes:
    """The certificate's bytes, in French (the language of the programme)."""
    dossier = award.dossier
    with translation.override(settings.LANGUAGE_CODE):
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer, pagesize=landscape(A4), invariant=True)
        page.setTitle(_("Certificate %s") % award.certificate_number)
        page.setAuthor(dossier.campaign.scheme.name)
        width, height = landscape(A4)
        page.setLineWidth(3)
        page.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
        lines = _trophy_lines(award) if hasattr(dossier, "designation") else [
            ("Helvetica", 14, dossier.campaign.scheme.name),
            ("Helvetica-Bold", 30, dossier.collectivity.name),
            ("Helvetica", 16, _("is awarded the label at the level")),
            ("Helvetica-Bold", 24, award.level.name if award.level else "—"),
            ("Helvetica", 12, _("Referential: %(title)s, version %(version)s") % {
                "title": dossier.referential.title, "version": dossier.referential.version,
            }),
            ("Helvetica", 12, _("Valid from %(start)s to %(end)s") % {
                "start": date_format(award.valid_from, "DATE_FORMAT"),
                "end": date_format(award.valid_until, "DATE_FORMAT"),
            }),
            ("Helvetica-Bold", 12, _("Certificate number: %s") % award.certificate_number),
        ]  # fmt: skip
        y = height - 4 * cm
        for font, size, text in lines:
            page.setFont(font, size)
            page.drawCentredString(width / 2, y, text)
            y -= size + 0.6 * cm
        url = award.verification_url
        qr = io.BytesIO()
        segno.make(url, error="m").save(qr, kind="png", scale=8, border=2)
        qr.seek(0)
        size = 4.5 * cm
        page.drawImage(ImageReader(qr), width - 2 * cm - size, 2 * cm, size, size)
        page.setFont("Helvetica", 9)
        page.drawString(2 * cm, 2.4 * cm, _("Check this certificate's status at:"))
        page.drawString(2 * cm, 2 * cm, url)
        page.showPage()
        page.save()
        return buffer.getvalue()


def _trophy_lines(award: Award) -> list[tuple[str, int, str]]:
    """A laureate's trophy: the campaign, the category, the rank or prize, the citation."""
    dossier, designation = award.dossier, award.dossier.designation
    distinction = " · ".join(
        part for part in (
            _("Rank %d") % designation.rank if designation.rank else "", designation.prize,
        ) if part
    )  # fmt: skip
    return [
        ("Helvetica", 14, dossier.campaign.name),
        ("Helvetica-Bold", 30, dossier.collectivity.name),
        ("Helvetica", 16, _("is a laureate")
         + (f" · {dossier.category.name}" if dossier.category else "")),
        ("Helvetica-Bold", 24, distinction or "—"),
        ("Helvetica-Oblique", 12, designation.citation[:140]),
        ("Helvetica", 12, _("Awarded on %s") % date_format(award.valid_from, "DATE_FORMAT")),
        ("Helvetica-Bold", 12, _("Trophy number: %s") % award.certificate_number),
    ]  # fmt: skip


def certificate_store(award: Award) -> Award:
    """Draw and store the certificate once: an award that has one keeps it. Idempotent (the
    same bytes under the same key), so a task delivered twice or a download racing the task
    does no harm. No transaction is open while the bytes travel."""
    if award.certificate_key:
        return award
    award = Award.objects.select_related(
        "dossier__collectivity",
        "dossier__campaign__scheme",
        "dossier__referential",
        "level",
        "dossier__category",
        "dossier__designation",
    ).get(pk=award.pk)
    data = certificate_pdf(award)
    key = f"{CERTIFICATE_PREFIX}{award.certificate_number}.pdf"
    storage.put(key, io.BytesIO(data), len(data), "application/pdf")
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        Award.objects.filter(pk=award.pk, certificate_key="").update(
            certificate_key=key, certificate_sha256=digest
        )
    award.refresh_from_db(fields=["certificate_key", "certificate_sha256"])
    return award
