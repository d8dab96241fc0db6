"""A file's line on the dossier page: its scan status, polled by htmx while pending."""

import pytest

from certification.services.transitions import perform_transition
from documents import services
from documents.tasks import scan_document
from tests import factories as f
from tests.helpers import make_pdf, pdf

pytestmark = pytest.mark.django_db


def uploaded(dossier, content=None, name="preuve.pdf", code="A-1"):
    return services.document_upload(
        dossier=dossier, criterion_code=code, upload=pdf(name, content or make_pdf()),
        by=dossier.cast.referent,
    )  # fmt: skip


def test_a_pending_file_is_polled_and_not_linked(sign_in):
    dossier = f.DossierFactory(state="draft")
    document = uploaded(dossier)
    page = sign_in(dossier.cast.referent).get(f"/dossiers/{dossier.pk}/").content.decode()
    assert f'hx-get="/documents/{document.pk}/status/"' in page
    assert 'hx-trigger="every 3s"' in page
    assert f"/documents/{document.pk}/download/" not in page


def test_the_page_says_which_earlier_file_a_duplicate_repeats(sign_in):
    dossier = f.DossierFactory(state="draft")
    content = make_pdf()
    uploaded(dossier, content, name="a.pdf")
    uploaded(dossier, content, name="b.pdf", code="A-2")

    page = sign_in(dossier.cast.referent).get(f"/dossiers/{dossier.pk}/").content.decode()
    assert page.count("Same bytes as") == 1
    assert "Same bytes as “a.pdf” (A-1, v1)." in page


def test_the_status_stops_polling_once_the_file_is_clean(sign_in):
    dossier = f.DossierFactory(state="draft")
    document = uploaded(dossier)
    scan_document.apply(args=[document.pk])
    response = sign_in(dossier.cast.referent).get(f"/documents/{document.pk}/status/")
    assert response.status_code == 200
    line = response.content.decode()
    assert "hx-trigger" not in line
    assert "Clean" in line and f"/documents/{document.pk}/download/" in line


def test_a_quarantined_file_shows_its_signature_to_managers_only(sign_in):
    dossier = f.DossierFactory(state="draft")
    document = uploaded(dossier, make_pdf(b"/OpenAction << /S /JavaScript /JS (x) >>"))
    scan_document.apply(args=[document.pk])
    url = f"/documents/{document.pk}/status/"
    referent_sees = sign_in(dossier.cast.referent).get(url).content.decode()
    manager_sees = sign_in(f.someone(dossier, "manager")).get(url).content.decode()
    assert "Quarantined" in referent_sees and "labelflow.PDF.JavaScript" not in referent_sees
    assert "labelflow.PDF.JavaScript" in manager_sees
    assert "/download/" not in manager_sees


def test_a_stranger_cannot_read_a_files_status(sign_in):
    dossier = f.DossierFactory(state="draft")
    document = uploaded(dossier)
    response = sign_in(f.someone(dossier, "stranger")).get(f"/documents/{document.pk}/status/")
    assert response.status_code == 404


def test_the_page_lists_earlier_versions_and_says_which_evidence_is_frozen(sign_in):
    dossier = f.DossierFactory(state="under_review")
    referent, auditor = dossier.cast.referent, dossier.cast.auditor
    perform_transition(
        dossier=dossier, name="request_information", by=auditor,
        data={"question": "Le plan signé ?", "criteria": ["A-1"], "due_date": "2099-01-31"},
    )  # fmt: skip
    dossier.refresh_from_db()
    services.document_upload(dossier=dossier, criterion_code="A-1", upload=pdf("signé.pdf"),
                             by=referent)  # fmt: skip

    page = sign_in(referent).get(f"/dossiers/{dossier.pk}/").content.decode()
    evidence = page[page.index('id="evidence-A-1"') : page.index('id="criterion-A-2"')]
    assert "v2" in evidence and "signé.pdf" in evidence
    assert "1 earlier version" in evidence and "v1" in evidence
    assert 'name="file"' in evidence  # A-1 is reopened
    other = page[page.index('id="evidence-A-2"') :]
    assert 'name="file"' not in other[: other.index("</section>")]
    assert "Evidence frozen" in other[: other.index("</section>")]
    assert "Awaiting an answer, due on 01/31/2099." in page
    assert 'href="#criterion-A-1">A-1</a>' in page


def test_an_overdue_request_is_shown_as_such_to_the_auditor(sign_in):
    dossier = f.DossierFactory(state="information_requested")
    dossier.information_requests.update(due_date="2020-01-31")
    page = sign_in(dossier.cast.auditor).get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Overdue" in page and "The answer was due on 01/31/2020." in page
