"""A deliberation's record, as kept at the close (members, recusals, rankings before and
after normalisation) with the designations decided since, exported as CSV and as PDF."""

import csv
import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Deliberation, Designation

GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
])  # fmt: skip


def _number(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _when(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def rows(deliberation: Deliberation) -> list[dict]:
    """One row per entry of the record's ranking, with the designation decided for it."""
    record = deliberation.record
    designations = {
        d.dossier_id: d
        for d in Designation.objects.filter(deliberation=deliberation).select_related("decided_by")
    }
    recusals = {}
    for recusal in record["recusals"]:
        recusals.setdefault(recusal["entry"], []).append(f"{recusal['name']}: {recusal['reason']}")
    result = []
    for entry in record["rankings"]:
        designation = designations.get(entry["entry"])
        result.append({
            **entry,
            "recusals": "; ".join(recusals.get(entry["entry"], [])),
            "outcome": designation.get_outcome_display() if designation else "",
            "designated_rank": designation.rank if designation else None,
            "prize": designation.prize if designation else "",
            "citation": designation.citation if designation else "",
            "decided_by": (designation.decided_by.get_full_name()
                           or designation.decided_by.username) if designation else "",
            "decided_at": designation.decided_at if designation else None,
        })  # fmt: skip
    return result


def record_csv(deliberation: Deliberation) -> str:
    """The record as CSV: one line per entry (ranks and means before and after
    normalisation, the spread, the recusals, the designation and who decided it)."""
    with translation.override(settings.LANGUAGE_CODE):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([
            _("Entry"), _("Collectivity"), _("Sheets"), _("Rank"), _("Mean"), _("Tied"),
            _("Normalised rank"), _("Normalised mean"), _("Spread"), _("Recusals"),
            _("Outcome"), _("Designated rank"), _("Prize"), _("Citation"), _("Decided by"),
            _("Decided at"),
        ])  # fmt: skip
        for row in rows(deliberation):
            writer.writerow([
                row["entry"], row["collectivity"], row["sheets"], row["rank"] or "",
                _number(row["mean"]), _("yes") if row["tied"] else "",
                row["normalised_rank"] or "", _number(row["normalised_mean"]),
                _number(row["spread"]), row["recusals"], row["outcome"],
                row["designated_rank"] or "", row["prize"], row["citation"], row["decided_by"],
                row["decided_at"].isoformat() if row["decided_at"] else "",
            ])  # fmt: skip
        return out.getvalue()


def record_pdf(deliberation: Deliberation) -> bytes:
    """The record as a PDF, in French (the language of the programme)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _draw(deliberation)


def _draw(deliberation: Deliberation) -> bytes:
    record, styles = deliberation.record, getSampleStyleSheet()
    text = styles["BodyText"]

    def table(header, body, widths):
        cells = [[Paragraph(escape(str(cell)), text) for cell in row] for row in [header, *body]]
        return Table(cells, colWidths=[w * cm for w in widths], style=GRID, repeatRows=1)

    category = record["category"]["name"] if record["category"] else _("All entries")
    entries = rows(deliberation)
    story = [
        Paragraph(_("Deliberation record"), styles["Title"]),
        Paragraph(escape(f"{record['campaign']} · {record['jury']} · {category}"),
                  styles["Heading2"]),
        Paragraph(escape(_("Closed on %(date)s by %(who)s") % {
            "date": _when(deliberation.closed_at), "who": record["closed_by"]}), text),
        Spacer(1, 0.4 * cm),
        Paragraph(_("Members"), styles["Heading3"]),
        table([_("Juror"), _("Role")],
              [[m["name"], _("chair") if m["is_chair"] else _("member")]
               for m in record["members"]], [10, 6]),
        Paragraph(_("Recusals"), styles["Heading3"]),
        table([_("Juror"), _("Entry"), _("Reason")],
              [[r["name"], r["collectivity"], r["reason"]] for r in record["recusals"]],
              [5, 6, 13])
        if record["recusals"] else Paragraph(_("No recusal."), text),
        Paragraph(_("Rankings"), styles["Heading3"]),
        table([_("Collectivity"), _("Sheets"), _("Rank"), _("Mean"), _("Normalised rank"),
               _("Normalised mean"), _("Spread")],
              [[r["collectivity"], r["sheets"], r["rank"] or "—", _number(r["mean"]),
                r["normalised_rank"] or "—", _number(r["normalised_mean"]),
                _number(r["spread"])] for r in entries],
              [7, 2, 2, 3, 3, 3, 3]),
        Paragraph(_("Decisions"), styles["Heading3"]),
        table([_("Collectivity"), _("Outcome"), _("Rank or prize"), _("Citation"),
               _("Decided by"), _("On")],
              [[r["collectivity"], r["outcome"] or "—",
                " · ".join(str(v) for v in (r["designated_rank"], r["prize"]) if v) or "—",
                r["citation"] or "—", r["decided_by"] or "—", _when(r["decided_at"]) or "—"]
               for r in entries],
              [5, 3, 3.5, 8, 4, 3.5]),
    ]  # fmt: skip
    buffer = io.BytesIO()
    title = _("Deliberation record") + f" · {record['jury']} · {category}"
    SimpleDocTemplate(buffer, pagesize=landscape(A4), title=title, invariant=True).build(story)
    return buffer.getvalue()
