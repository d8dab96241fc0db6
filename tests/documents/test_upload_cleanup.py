"""An upload whose database row cannot be written leaves nothing in the object store."""

import pytest
from django.conf import settings
from django.db import IntegrityError

from documents import services, storage
from documents.models import Document
from tests import factories
from tests.helpers import pdf

pytestmark = pytest.mark.django_db


def stored_keys(prefix: str) -> list[str]:
    objects = storage.client().list_objects(settings.S3_BUCKET, prefix=prefix, recursive=True)
    return [o.object_name for o in objects]


def test_it_removes_the_stored_file_when_the_row_fails(monkeypatch):
    dossier = factories.DossierFactory()
    referent = factories.member(dossier.collectivity, "referent")

    def fail(**kwargs):
        raise IntegrityError("simulated failure of the insert")

    before = stored_keys(f"dossiers/{dossier.pk}/")  # ids repeat across rolled-back tests
    monkeypatch.setattr(Document.objects, "create", fail)
    with pytest.raises(IntegrityError):
        services.document_upload(dossier=dossier, criterion_code="A-1", upload=pdf(), by=referent)

    assert stored_keys(f"dossiers/{dossier.pk}/") == before


def test_it_keeps_the_stored_file_of_a_recorded_upload():
    dossier = factories.DossierFactory()
    referent = factories.member(dossier.collectivity, "referent")

    document = services.document_upload(
        dossier=dossier, criterion_code="A-1", upload=pdf(), by=referent
    )

    assert document.key in stored_keys(f"dossiers/{dossier.pk}/")
    assert storage.read(document.key).startswith(b"%PDF")
