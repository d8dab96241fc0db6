"""POST /assignments/<pk>/end/: a manager takes an auditor off a dossier from its page."""

import pytest

from audits import services as audit_services
from audits.models import Assignment
from tests.demo import dossier_at, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflicted(demo_data):
    """An admissible dossier whose lead auditor declared a conflict of interest."""
    dossier = dossier_at("admissible")
    assignment = audit_services.assignment_create(
        dossier=dossier, auditor_username="auditeur", role="lead", by=user("gestionnaire")
    )
    audit_services.assignment_declare(
        assignment=assignment, by=user("auditeur"), has_conflict=True, details="Ancien agent."
    )
    return assignment


def test_a_manager_ends_an_assignment_from_the_dossier_page(sign_in, conflicted):
    client = sign_in("gestionnaire")
    page = client.get(f"/dossiers/{conflicted.dossier_id}/")
    assert f"/assignments/{conflicted.pk}/end/" in page.content.decode()

    response = client.post(f"/assignments/{conflicted.pk}/end/")

    assert response.status_code == 302
    assert Assignment.objects.get(pk=conflicted.pk).ended_at is not None


def test_it_refuses_the_referent_and_the_auditor(sign_in, conflicted):
    assert sign_in("niort").post(f"/assignments/{conflicted.pk}/end/").status_code == 404
    assert sign_in("auditeur").post(f"/assignments/{conflicted.pk}/end/").status_code == 404
    assert Assignment.objects.get(pk=conflicted.pk).ended_at is None


def test_it_sends_the_anonymous_to_sign_in(client, conflicted):
    response = client.post(f"/assignments/{conflicted.pk}/end/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
