import io
import itertools
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certification.services.transitions import perform_transition
from labelflow.embedded import EICAR

__all__ = ["EICAR"]


def make_pdf(catalog: bytes = b"", stream: bytes = b"BT /F1 12 Tf (Preuve) Tj ET") -> bytes:
    """A small well-formed PDF (with its cross-reference table): one page whose content is
    `stream`, FlateDecode-compressed; `catalog` adds entries to the document's catalog."""
    content = zlib.compress(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content + b"\nendstream",
    ]  # fmt: skip
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )  # fmt: skip
    return bytes(out)


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_docx(extra: dict[str, bytes] | None = None) -> bytes:
    """A Word file as `filetype` recognises it, with `extra` members (e.g. a macro)."""
    return make_zip({
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        **(extra or {}),
    })  # fmt: skip


PDF = make_pdf(catalog=b"/Lang (fr000000)")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


_pdfs = itertools.count(1)


def pdf(name="preuve.pdf", content=None):
    """An upload of `content`, by default a PDF of its own (the same bytes uploaded twice to
    a criterion are refused)."""
    if content is None:
        content = make_pdf(catalog=b"/Lang (fr%06d)" % next(_pdfs))  # as long as PDF
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def snapshot(dossier) -> tuple:
    """What a refused transition must leave as it was: the state and the log."""
    dossier.refresh_from_db()
    return dossier.state, dossier.history.count()


def refused(error, dossier, name, by, **data):
    """Run transition `name`, expecting `error`; it leaves the dossier as it was. Returns the
    error, whose `extra["missing"]` says what a guard wants."""
    before = snapshot(dossier)
    with pytest.raises(error) as caught:
        perform_transition(dossier=dossier, name=name, by=by, data=data)
    assert snapshot(dossier) == before
    return caught.value


def missing(error) -> list[tuple]:
    """A refused guard's `missing` entries as (code, what it is about) pairs."""
    return [
        (m["code"], m.get("criterion") or m.get("field")) for m in error.extra.get("missing", [])
    ]
