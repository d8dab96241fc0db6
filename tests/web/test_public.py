"""The public pages: certificate verification and the registry, open to anyone."""

from datetime import date

import pytest

from certification.models import Award
from certification.services.decisions import award_create
from tests import factories as f

pytestmark = pytest.mark.django_db


def awarded(status=Award.Status.ACTIVE, name="Niort"):
    dossier = f.DossierFactory(collectivity=f.CollectivityFactory(name=name))
    award = award_create(
        dossier=dossier, level=dossier.referential.levels.first(), today=date(2026, 3, 1)
    )
    Award.objects.filter(pk=award.pk).update(status=status)
    return award


def test_it_verifies_an_active_certificate_for_anyone(client):
    award = awarded()
    response = client.get(f"/verify/{award.verification_code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert award.certificate_number in page and "Niort" in page
    assert "is authentic and active" in page


def test_it_says_a_revoked_certificate_is_no_longer_active(client):
    award = awarded(Award.Status.REVOKED)
    page = client.get(f"/verify/{award.verification_code}/").content.decode()
    assert "no longer active" in page


def test_it_answers_404_for_an_unknown_code(client):
    assert client.get("/verify/not-a-code/").status_code == 404


def test_it_lists_active_certificates_in_the_public_registry(client):
    active, revoked = awarded(name="Niort"), awarded(Award.Status.REVOKED, name="Vertou")
    page = client.get("/registry/").content.decode()
    assert active.certificate_number in page
    assert revoked.certificate_number not in page
    assert f'href="/verify/{active.verification_code}/"' in page


def test_it_paginates_the_registry_by_25(client):
    for n in range(26):
        awarded(name=f"Commune {n}")
    assert len(client.get("/registry/").context["page"]) == 25
    assert len(client.get("/registry/?page=2").context["page"]) == 1
