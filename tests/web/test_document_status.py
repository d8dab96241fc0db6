"""A file's line on the dossier page: its scan status, polled by htmx while pending."""

import pytest

from documents import services
from documents.tasks import scan_document
from tests import factories as f
from tests.helpers import make_pdf, pdf

pytestmark = pytest.mark.django_db


def uploaded(dossier, content=None, name="preuve.pdf"):
    return services.document_upload(
        dossier=dossier, criterion_code="A-1", upload=pdf(name, content or make_pdf()),
        by=dossier.cast.referent,
    )  # fmt: skip


def test_a_pending_file_is_polled_and_not_linked(sign_in):
    dossier = f.DossierFactory(state="draft")
    document = uploaded(dossier)
    page = sign_in(dossier.cast.referent).get(f"/dossiers/{dossier.pk}/").content.decode()
    assert f'hx-get="/documents/{document.pk}/status/"' in page
    assert 'hx-trigger="every 3s"' in page
    assert f"/documents/{document.pk}/download/" not in page


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
