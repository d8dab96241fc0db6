"""An issued audit report as a PDF: drawn with ReportLab from the report's snapshot, the same
bytes every time (`invariant`), stored once under `reports/` with its SHA-256."""

import hashlib
import io

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from audits.models import AuditReport, Finding, IssuedReport

from . import storage

REPORT_PREFIX = "reports/"  # never under `dossiers/`: the orphan sweep skips them
GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
])  # fmt: skip


def report_pdf(issued: IssuedReport) -> bytes:
    """The report's bytes, in French (the language of the programme)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _draw(issued)


def _draw(issued: IssuedReport) -> bytes:
    content, styles = issued.snapshot, getSampleStyleSheet()
    text, small = styles["BodyText"], styles["Italic"]

    def table(header, rows, widths):
        cells = [[Paragraph(escape(cell), text) for cell in row] for row in [header, *rows]]
        return Table(cells, colWidths=[w * cm for w in widths], style=GRID, repeatRows=1)

    issued_at = date_format(timezone.localtime(issued.issued_at), "DATETIME_FORMAT")
    recommendation = AuditReport.Recommendation(content["recommendation"]).label
    story = [
        Paragraph(_("Audit report"), styles["Title"]),
        Paragraph(escape(f"{content['collectivity']} · {content['campaign']}"), styles["Heading2"]),
        Paragraph(escape(_("Referential: %s") % content["referential"]), text),
        Paragraph(
            escape(
                _("Version %(version)s, issued on %(date)s by %(who)s")
                % {
                    "version": issued.version,
                    "date": issued_at,
                    "who": content["issued_by"],
                }
            ),
            small,
        ),  # fmt: skip
        Spacer(1, 0.4 * cm),
        Paragraph(_("Recommendation: %s") % recommendation, styles["Heading3"]),
        Paragraph(
            _("Score: %(score)s out of %(max)s · level: %(level)s")
            % {
                "score": content["score"],
                "max": content["max_score"],
                "level": content["level"] or _("none reached"),
            },
            text,
        ),  # fmt: skip
        Spacer(1, 0.3 * cm),
        Paragraph(_("Score per chapter"), styles["Heading3"]),
        table(
            [_("Chapter"), _("Points"), "%"],
            [
                [f"{c['code']} {c['title']}", f"{c['points']} / {c['max_points']}", c["percent"]]
                for c in content["chapters"]
            ],
            [10, 4, 2],
        ),  # fmt: skip
    ]
    if content["levels"]:
        story += [
            Paragraph(_("Thresholds"), styles["Heading3"]),
            table([_("Level"), _("From"), _("To")],
                  [[lv["name"], lv["min_score"], lv["max_score"]] for lv in content["levels"]],
                  [8, 4, 4]),
        ]  # fmt: skip
    story.append(Paragraph(_("Findings"), styles["Heading3"]))
    if content["findings"]:
        story.append(table(
            [_("Criterion"), _("Severity"), _("Status"), _("Description")],
            [[f["criterion"], Finding.Severity(f["severity"]).label,
              Finding.Status(f["status"]).label, f["description"] or "—"]
             for f in content["findings"]],
            [2.5, 2.5, 2.5, 9],
        ))  # fmt: skip
    else:
        story.append(Paragraph(_("No finding."), text))
    if content["summary"]:
        story += [
            Paragraph(_("Summary"), styles["Heading3"]),
            Paragraph(escape(content["summary"]).replace("\n", "<br/>"), text),
        ]
    buffer = io.BytesIO()
    title = _("Audit report") + f" · {content['collectivity']} · v{issued.version}"
    SimpleDocTemplate(buffer, pagesize=A4, title=title, invariant=True).build(story)
    return buffer.getvalue()


def report_store(issued: IssuedReport) -> IssuedReport:
    """Draw and store the report once (idempotent: the same bytes under the same key). No
    transaction is open while the bytes travel."""
    if issued.pdf_key:
        return issued
    data = report_pdf(issued)
    key = f"{REPORT_PREFIX}{issued.dossier_id}/v{issued.version}.pdf"
    storage.put(key, io.BytesIO(data), len(data), "application/pdf")
    with transaction.atomic():
        IssuedReport.objects.filter(pk=issued.pk, pdf_key="").update(
            pdf_key=key, pdf_sha256=hashlib.sha256(data).hexdigest()
        )
    issued.refresh_from_db(fields=["pdf_key", "pdf_sha256"])
    return issued
