import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certification.services.transitions import perform_transition

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf(name="preuve.pdf", content=PDF):
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
