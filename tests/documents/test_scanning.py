"""Each new file is scanned after the upload, by a worker (`documents.tasks.scan_document`):
clamd (the suite's own, knowing the EICAR test file) and the checks clamd does not make (zip
bombs, macros, PDF actions). A file is `pending` until then; only `clean` files count."""

from io import BytesIO

import pytest
from celery.exceptions import Retry
from django.core import mail

from certification.errors import Conflict
from certification.services.transitions import perform_transition
from documents import scanning, services
from documents.models import Document
from documents.tasks import notify_quarantine, scan_document
from tests import factories as f
from tests.helpers import EICAR, make_docx, make_pdf, missing, pdf, refused

pytestmark = pytest.mark.django_db

JAVASCRIPT = b"/OpenAction << /S /JavaScript /JS (app.alert('hello');) >>"
LAUNCH = b"/OpenAction << /S /Launch /F (cmd.exe) >>"
SAMPLES = {  # name: (content, the signature that quarantines it)
    "eicar-in-a-pdf-stream.pdf": (make_pdf(stream=EICAR), "Eicar-Test-Signature.UNOFFICIAL"),
    "eicar-zipped.docx": (make_docx({"word/media/eicar.com": EICAR}),
                          "Eicar-Test-Signature.UNOFFICIAL"),
    "javascript.pdf": (make_pdf(JAVASCRIPT), "labelflow.PDF.JavaScript"),
    "launch.pdf": (make_pdf(LAUNCH), "labelflow.PDF.Launch"),
    "macro.docx": (make_docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(512)}),
                   "labelflow.Office.Macro"),
}  # fmt: skip


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A Word file of about 300 KB whose one member inflates to 300 MB: clamd alone says OK."""
    return make_docx({"word/media/big.bin": bytes(300 * 1024 * 1024)})


def upload(dossier, content: bytes, name="preuve.pdf", code="A-1"):
    return services.document_upload(
        dossier=dossier, criterion_code=code, upload=pdf(name, content), by=dossier.cast.referent
    )


def scanned(document) -> Document:
    """What the worker does once the upload is committed."""
    scan_document.apply(args=[document.pk])
    document.refresh_from_db()
    return document


def test_a_new_file_waits_for_its_scan_and_cannot_be_downloaded_meanwhile():
    document = upload(f.DossierFactory(state="draft"), make_pdf())
    assert document.scan_status == "pending"
    with pytest.raises(Conflict):
        services.document_download_url(document=document)


def test_a_clean_pdf_becomes_clean_and_downloadable():
    document = scanned(upload(f.DossierFactory(state="draft"), make_pdf()))
    assert (document.scan_status, document.scan_detail) == ("clean", "")
    assert document.scanned_at is not None
    assert "X-Amz-Signature" in services.document_download_url(document=document)


def test_clean_office_files_pass_the_structure_checks():
    document = scanned(upload(f.DossierFactory(state="draft"), make_docx(), "rapport.docx"))
    assert document.scan_status == "clean"


@pytest.mark.parametrize("name", SAMPLES)
def test_a_harmful_file_is_quarantined_with_its_signature(name):
    content, signature = SAMPLES[name]
    document = scanned(upload(f.DossierFactory(state="draft"), content, name))
    assert (document.scan_status, document.scan_detail) == ("infected", signature)
    with pytest.raises(Conflict):
        services.document_download_url(document=document)


def test_a_zip_bomb_is_quarantined(zip_bomb):
    assert len(zip_bomb) < 1024 * 1024
    document = scanned(upload(f.DossierFactory(state="draft"), zip_bomb, "bombe.docx"))
    assert (document.scan_status, document.scan_detail) == ("infected", "labelflow.Zip.Bomb")


def test_clamd_itself_finds_the_raw_eicar_file():
    # The raw file is refused at the upload (not an accepted type): here, clamd alone.
    assert scanning.clamav(BytesIO(EICAR)).signature == "Eicar-Test-Signature.UNOFFICIAL"
    assert scanning.clamav(BytesIO(make_pdf())).signature == ""


def test_the_uploader_is_told_that_their_file_was_quarantined(django_capture_on_commit_callbacks):
    dossier = f.DossierFactory(state="draft")
    dossier.cast.referent.email = "referent@example.org"
    dossier.cast.referent.save()
    document = upload(dossier, SAMPLES["javascript.pdf"][0], "javascript.pdf")

    with django_capture_on_commit_callbacks() as enqueued:
        document = services.document_scan(document=document)
    assert document.scan_status == "infected" and len(enqueued) == 1  # the notice, after commit
    notify_quarantine.apply(args=[document.pk])  # what the worker then runs

    assert mail.outbox[-1].to == ["referent@example.org"]
    assert "javascript.pdf" in mail.outbox[-1].subject
    assert "labelflow.PDF.JavaScript" in mail.outbox[-1].body


# -- clamd down -------------------------------------------------------------------------------


def test_with_clamd_down_the_file_stays_pending_and_the_scan_is_retried(settings, monkeypatch):
    settings.CLAMD_ADDRESS = "/nonexistent/clamd.sock"
    retried = {}

    def retry(**kwargs):
        retried.update(kwargs)
        return Retry()

    monkeypatch.setattr(scan_document, "retry", retry)
    document = upload(f.DossierFactory(state="draft"), make_pdf())

    result = scan_document.apply(args=[document.pk])

    document.refresh_from_db()
    assert result.state == "RETRY"
    assert (document.scan_status, document.scan_attempts) == ("pending", 1)
    assert "clamd" in document.scan_detail
    assert retried["countdown"] == settings.SCAN_RETRY_SECONDS


def test_once_the_retries_are_spent_the_file_is_in_error_until_scanned_again(settings):
    settings.CLAMD_ADDRESS, socket = "/nonexistent/clamd.sock", settings.CLAMD_ADDRESS
    settings.SCAN_MAX_RETRIES = 2
    document = upload(f.DossierFactory(state="draft"), make_pdf())

    document = scanned(document)  # eager: the retries run at once

    assert (document.scan_status, document.scan_attempts) == ("error", 3)
    settings.CLAMD_ADDRESS = socket
    services.document_rescan(document=document)
    assert scanned(document).scan_status == "clean"


def test_a_dossier_cannot_be_submitted_while_a_file_waits_for_its_scan(settings):
    dossier = f.DossierFactory(ready_for="submitted")
    settings.CLAMD_ADDRESS = "/nonexistent/clamd.sock"  # clamd down: the new file stays pending
    document = upload(dossier, make_pdf(), "annexe.pdf", code="A-1")

    error = refused(Conflict, dossier, "submit", dossier.cast.referent)

    assert ("evidence_not_clean", "A-1") in missing(error)
    entry = next(m for m in error.extra["missing"] if m["code"] == "evidence_not_clean")
    assert entry["document"] == document.pk
    assert "annexe.pdf" in entry["detail"]


def test_a_dossier_cannot_be_submitted_with_a_quarantined_file():
    dossier = f.DossierFactory(ready_for="submitted")
    scanned(upload(dossier, SAMPLES["javascript.pdf"][0], "javascript.pdf"))

    error = refused(Conflict, dossier, "submit", dossier.cast.referent)

    # The quarantined file is A-1's current version: the clean one before it no longer counts.
    assert missing(error) == [("evidence_missing", "A-1"), ("evidence_not_clean", "A-1")]


def test_a_clean_file_replaces_a_quarantined_one_of_its_criterion():
    dossier = f.DossierFactory(ready_for="submitted")
    quarantined = scanned(upload(dossier, SAMPLES["javascript.pdf"][0], "javascript.pdf"))
    scanned(upload(dossier, make_pdf(), "corrige.pdf"))

    quarantined.refresh_from_db()
    assert (quarantined.scan_status, quarantined.is_current) == ("infected", False)
    perform_transition(dossier=dossier, name="submit", by=dossier.cast.referent)


def test_information_cannot_be_provided_while_a_file_waits_for_its_scan(settings):
    dossier = f.DossierFactory(state="information_requested")
    settings.CLAMD_ADDRESS = "/nonexistent/clamd.sock"
    upload(dossier, make_pdf(), "reponse.pdf")

    error = refused(Conflict, dossier, "provide_information", dossier.cast.referent,
                    answer="Voici.")  # fmt: skip

    assert missing(error) == [("evidence_not_clean", "A-1")]


def test_once_scanned_clean_the_information_can_be_provided():
    dossier = f.DossierFactory(state="information_requested")
    scanned(upload(dossier, make_pdf(), "reponse.pdf"))
    dossier = perform_transition(dossier=dossier, name="provide_information",
                                 by=dossier.cast.referent, data={"answer": "Voici."})  # fmt: skip
    assert dossier.state == "under_review"


# -- No scanner configured --------------------------------------------------------------------


def test_without_a_scanner_a_file_is_not_scanned_never_clean(settings):
    dossier = f.DossierFactory(ready_for="submitted")
    settings.CLAMD_ADDRESS = ""
    document = upload(dossier, make_pdf())

    assert document.scan_status == "not_scanned"
    with pytest.raises(Conflict):
        services.document_download_url(document=document)
    assert ("evidence_not_clean", "A-1") in missing(
        refused(Conflict, dossier, "submit", dossier.cast.referent)
    )
