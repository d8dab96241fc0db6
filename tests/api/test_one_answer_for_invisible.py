"""An object you may not see and an object that does not exist get the same answer, on every
object endpoint: ids cannot be probed."""

import pytest

from audits.models import Assignment
from documents.models import Document
from tests import factories

pytestmark = pytest.mark.django_db

MISSING = 10**12


@pytest.fixture
def others():
    """Another collectivity's dossier with a document and an assignment."""
    dossier = factories.DossierFactory()
    referent = factories.member(dossier.collectivity)
    document = Document.objects.create(
        dossier=dossier, criterion=dossier.referential.criteria.first(), filename="x.pdf",
        size=1, sha256="0" * 64, content_type="application/pdf", key="k/x", uploaded_by=referent,
    )  # fmt: skip
    assignment = Assignment.objects.create(
        dossier=dossier, auditor=factories.auditor(), role="lead", assigned_by=factories.manager()
    )
    return dossier, document, assignment


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/v1/dossiers/{dossier}/"),
        ("get", "/api/v1/dossiers/{dossier}/history/"),
        ("get", "/api/v1/dossiers/{dossier}/documents/"),
        ("put", "/api/v1/dossiers/{dossier}/responses/A-1/"),
        ("post", "/api/v1/dossiers/{dossier}/transitions/withdraw/"),
        ("post", "/api/v1/dossiers/{dossier}/assignments/"),
        ("post", "/api/v1/dossiers/{dossier}/assessments/"),
        ("get", "/api/v1/documents/{document}/download/"),
        ("post", "/api/v1/assignments/{assignment}/declare/"),
        ("delete", "/api/v1/assignments/{assignment}/"),
        ("get", "/api/v1/collectivities/{collectivity}/"),
        ("get", "/api/v1/collectivities/{collectivity}/members/"),
    ],
)
def test_not_yours_and_not_there_answer_alike(api, others, method, url):
    dossier, document, assignment = others
    stranger = factories.member(factories.CollectivityFactory())
    ids = {"dossier": dossier.pk, "document": document.pk, "assignment": assignment.pk,
           "collectivity": dossier.collectivity_id}  # fmt: skip
    client = api.as_user(stranger)
    theirs = getattr(client, method)(url.format(**ids), {}, format="json")
    missing = getattr(client, method)(url.format(**dict.fromkeys(ids, MISSING)), {}, format="json")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
