"""The manager's dossier list as CSV or XLSX, with the dashboard's filters.

The CSV streams (rows are read in chunks and written as they come: any length, flat memory);
the XLSX is built by openpyxl in its write-only mode, up to `XLSX_ROWS` rows (a workbook
is one zip, written once it is complete: its size has to be bounded)."""

import csv
import io
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX_ROWS = 10_000
CHUNK = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [_("Dossier"), _("Collectivity"), _("SIREN"), _("Department"), _("Region"),
            _("Campaign"), _("Category"), _("State"), _("Opened"), _("Submitted")]  # fmt: skip


def rows(dossiers) -> Iterator[list]:
    for d in dossiers.iterator(chunk_size=CHUNK):
        yield [
            d.pk, d.collectivity.name, d.collectivity.siren, d.collectivity.department,
            d.collectivity.region, d.campaign.name, d.category.name if d.category else "",
            str(d.get_state_display()), _naive(d.created_at), _naive(d.submitted_at),
        ]  # fmt: skip


def _naive(moment):
    """A date and time in the site's zone, as spreadsheets take it (they know no zones)."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run: a text that starts like a formula is quoted."""
    if value is None:
        return ""
    text = value.isoformat(sep=" ") if hasattr(value, "isoformat") else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(dossiers, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # the BOM: spreadsheets then read the accents as UTF-8
        yield writer.writerow(header())
        for row in rows(dossiers):
            yield writer.writerow([_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(dossiers, filename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Dossiers"))
    sheet.append(header())
    for row in rows(dossiers[:XLSX_ROWS]):
        sheet.append([_formula_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _formula_safe(value):
    """openpyxl writes a text starting with "=" as a formula: keep it a text."""
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value


def filename() -> str:
    return "dossiers-" + timezone.localdate().isoformat()
