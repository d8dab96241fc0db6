"""Builders shared by the infrastructure tests: dossiers with a real history."""

import uuid

import pytest

from certification.models import CriterionResponse
from certification.services.transitions import perform_transition
from documents.models import Document
from tests import factories


def answer_everything(dossier, by, documents_per_criterion: int = 1) -> None:
    """Answer every criterion and attach clean evidence rows (the bytes are not needed)."""
    for criterion in dossier.referential.criteria.all():
        CriterionResponse.objects.get_or_create(
            dossier=dossier, criterion=criterion,
            defaults={"answer": "Notre démarche.", "updated_by": by},
        )  # fmt: skip
        for n in range(documents_per_criterion):
            Document.objects.create(
                dossier=dossier, criterion=criterion, filename=f"{criterion.code}-{n}.pdf",
                size=100, sha256="0" * 64, content_type="application/pdf",
                key=f"dossiers/{dossier.pk}/{uuid.uuid4().hex}", scan_status="clean",
                uploaded_by=by,
            )  # fmt: skip


@pytest.fixture
def submitted():
    """`submitted(**factory_kwargs)` -> (dossier, referent): submitted through the service."""

    def build(**kwargs):
        dossier = factories.DossierFactory(**kwargs)
        referent = factories.member(dossier.collectivity, "referent")
        answer_everything(dossier, referent)
        dossier = perform_transition(dossier=dossier, name="submit", by=referent)
        return dossier, referent

    return build
