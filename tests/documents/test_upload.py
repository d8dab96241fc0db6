"""`document_upload` with a file in hand: it sniffs the type from the bytes, measures and
fingerprints the file, scans it, stores it on the S3 server and records it, for the
collectivity's editors while evidence may be added. A refused file leaves nothing stored.
(The same checks on a request's upload, as its bytes arrive: tests/api/test_documents.py.)"""

import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from certification.errors import (
    Conflict,
    FileTooLarge,
    InvalidInput,
    NotAllowed,
    UnsupportedFileType,
)
from documents import services, storage
from documents.models import Document
from tests import factories as f
from tests.helpers import EICAR, EXE, PDF, PNG, pdf

pytestmark = pytest.mark.django_db


def stored_keys(dossier) -> list[str]:
    objects = storage.client().list_objects(
        settings.S3_BUCKET, prefix=f"dossiers/{dossier.pk}/", recursive=True
    )
    return [o.object_name for o in objects]


def upload(dossier, by, file=None, code="A-1"):
    return services.document_upload(
        dossier=dossier, criterion_code=code, upload=file or pdf(), by=by
    )


def refused(error, dossier, by, file=None, code="A-1"):
    """The upload is refused with `error`: no row, and the store holds what it held (ids
    repeat across rolled-back tests, the store does not roll back)."""
    count, keys = Document.objects.filter(dossier=dossier).count(), stored_keys(dossier)
    with pytest.raises(error):
        upload(dossier, by, file, code)
    assert Document.objects.filter(dossier=dossier).count() == count
    assert stored_keys(dossier) == keys


@pytest.fixture
def draft():
    dossier = f.DossierFactory()
    return dossier, f.member(dossier.collectivity, "contributor")


def test_it_records_and_stores_a_file_waiting_for_its_scan(draft):
    dossier, contributor = draft

    document = upload(dossier, contributor, pdf("stratégie 2026.pdf", PDF))

    assert (document.criterion.code, document.uploaded_by) == ("A-1", contributor)
    assert (document.content_type, document.size, document.scan_status) == (
        "application/pdf", len(PDF), "pending",
    )  # fmt: skip
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.key in stored_keys(dossier)
    assert storage.read(document.key) == PDF


def test_it_keeps_a_safe_file_name(draft):
    dossier, contributor = draft
    document = upload(dossier, contributor, pdf("../../etc/rap<port>.pdf"))
    assert document.filename == "rap_port_.pdf"


def test_the_type_is_sniffed_from_the_bytes_not_the_clients_word(draft):
    dossier, contributor = draft
    document = upload(dossier, contributor, SimpleUploadedFile("photo.png", PNG, "application/pdf"))
    assert document.content_type == "image/png"


def test_a_name_that_contradicts_the_content_is_refused(draft):
    dossier, contributor = draft
    with pytest.raises(UnsupportedFileType, match=r"\.pdf"):
        upload(dossier, contributor, SimpleUploadedFile("photo.pdf", PNG, "application/pdf"))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("notes.txt", "Rapport d'activité 2025.\n".encode(), "text/plain"),
        ("notes.txt", "Rapport d'activité 2025.\n".encode("latin-1"), "text/plain"),
        ("budget.csv", b"poste;montant\nvoirie;1200\n", "text/csv"),
    ],
)
def test_text_and_csv_in_utf8_or_latin1_are_accepted(draft, name, content, content_type):
    dossier, contributor = draft
    document = upload(dossier, contributor, SimpleUploadedFile(name, content))
    assert document.content_type == content_type
    assert storage_key_holds_no_name(document)


def storage_key_holds_no_name(document) -> bool:
    return document.filename not in document.key and document.key.startswith("dossiers/")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),
        ("rapport.pdf", EXE),  # a program under a PDF's name
        ("notes.txt", b"Rapport\x00\x01\x02 binaire" * 20),  # control bytes: not text
        ("page.html", b"<!doctype html><html><body>Rapport</body></html>"),
        ("eicar.com", EICAR),  # refused before any scan: not an accepted type
    ],
)
def test_it_refuses_a_file_type_not_accepted(draft, name, content):
    dossier, contributor = draft
    refused(UnsupportedFileType, dossier, contributor, SimpleUploadedFile(name, content))


def test_it_refuses_a_file_too_large_and_accepts_one_of_exactly_the_maximum(draft, settings):
    dossier, contributor = draft
    settings.EVIDENCE_MAX_BYTES = len(PDF) - 1
    refused(FileTooLarge, dossier, contributor)
    settings.EVIDENCE_MAX_BYTES = len(PDF)
    assert upload(dossier, contributor).size == len(PDF)


def test_it_refuses_an_empty_file(draft):
    dossier, contributor = draft
    refused(InvalidInput, dossier, contributor, pdf(content=b""))


@pytest.mark.parametrize("code", ["XXX-9", "B-1"])  # B-1: a criterion of another referential
def test_it_refuses_a_criterion_not_in_the_dossiers_referential(draft, code):
    f.ReferentialFactory(criteria=[("B-1", True)])
    dossier, contributor = draft
    refused(InvalidInput, dossier, contributor, code=code)


@pytest.mark.parametrize("who", ["viewer", "manager", "stranger"])
def test_it_refuses_anyone_who_may_not_edit_the_dossier(who):
    dossier = f.DossierFactory(state="draft")
    refused(NotAllowed, dossier, f.someone(dossier, who))


def test_it_refuses_the_assigned_auditor():
    dossier = f.DossierFactory(state="information_requested")
    refused(NotAllowed, dossier, dossier.cast.auditor)


@pytest.mark.parametrize("state", ["submitted", "under_review", "awarded"])
def test_it_refuses_evidence_while_the_dossier_is_not_open_to_it(state):
    dossier = f.DossierFactory(state=state)
    refused(Conflict, dossier, dossier.cast.referent)


@pytest.mark.parametrize("state", ["information_requested", "corrective_actions"])
def test_a_request_for_information_or_corrective_actions_reopens_the_upload(state):
    dossier = f.DossierFactory(state=state, majors=["A-1"])
    assert upload(dossier, dossier.cast.referent).scan_status == "pending"


# -- Download -------------------------------------------------------------------------------


def test_a_download_is_a_short_lived_signed_url_under_the_files_name(draft):
    dossier, contributor = draft
    document = upload(dossier, contributor, pdf("rapport.pdf"))
    document = services.document_scan(document=document)
    url = services.document_download_url(document=document)
    assert document.key.split("/")[-1] in url
    assert "X-Amz-Signature" in url and "X-Amz-Expires" in url
    assert "rapport.pdf" in url


def test_a_file_not_cleared_by_the_scan_is_not_served(draft):
    dossier, contributor = draft
    document = upload(dossier, contributor)
    document.scan_status = "infected"
    with pytest.raises(Conflict):
        services.document_download_url(document=document)
