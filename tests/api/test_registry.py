"""GET /api/v1/registry/ and GET /api/v1/registry/{certificate_number}/: public."""

import pytest

from certification.models import Award
from certification.services.transitions import perform_transition
from tests.api.calls import anonymous
from tests.demo import dossier_at, user

pytestmark = pytest.mark.django_db


def test_anyone_lists_the_certificates(api):
    dossier = dossier_at("awarded")
    response = anonymous(api).get("/api/v1/registry/")
    assert response.status_code == 200
    [entry] = response.data["results"]
    award = Award.objects.get(dossier=dossier)
    assert entry["certificate_number"] == award.certificate_number
    assert (entry["collectivity"], entry["status"]) == ("Niort", "active")
    assert entry["level"] == award.level.name == "Exemplaire"  # every criterion at full points


def test_anyone_looks_a_certificate_up_by_its_number(api):
    award = Award.objects.get(dossier=dossier_at("awarded"))
    response = anonymous(api).get(f"/api/v1/registry/{award.certificate_number}/")
    assert response.status_code == 200
    assert response.data["scheme"] == "Label Performance publique"


def test_a_suspension_shows_in_the_registry(api):
    dossier = dossier_at("awarded")
    perform_transition(dossier=dossier, name="suspend", by=user("comite"), comment="Surveillance.")
    award = Award.objects.get(dossier=dossier)
    response = anonymous(api).get(f"/api/v1/registry/{award.certificate_number}/")
    assert response.data["status"] == "suspended"


def test_an_unknown_certificate_is_not_found(api):
    response = anonymous(api).get("/api/v1/registry/LPP-1999-000001/")
    assert response.status_code == 404
    assert response.data["detail"]


def test_the_registry_ignores_credentials(api):
    """Public: a stale or wrong token does not turn it into a 401."""
    response = anonymous(api).get("/api/v1/registry/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 200


def test_the_registry_is_read_only(api):
    response = anonymous(api).post("/api/v1/registry/", {"certificate_number": "LPP-X"})
    assert response.status_code == 405
    assert not Award.objects.exists()


def test_the_registry_api_searches_and_filters_like_the_page(api):
    dossier = dossier_at("awarded")
    response = anonymous(api).get("/api/v1/registry/", {"search": "nio"})
    assert [e["collectivity"] for e in response.data["results"]] == ["Niort"]
    response = anonymous(api).get("/api/v1/registry/", {"search": "Paris"})
    assert response.data["results"] == []
    level = Award.objects.get(dossier=dossier).level.code
    assert len(anonymous(api).get("/api/v1/registry/", {"level": level}).data["results"]) == 1
    response = anonymous(api).get("/api/v1/registry/", {"scheme": "nope"})
    assert response.status_code == 400 and "scheme" in response.data["errors"]


def test_the_registry_api_lists_no_revoked_certificate_but_finds_it_by_number(api):
    dossier = dossier_at("awarded")
    perform_transition(dossier=dossier, name="revoke", by=user("comite"), comment="Fraude.")
    award = Award.objects.get(dossier=dossier)
    assert anonymous(api).get("/api/v1/registry/").data["results"] == []
    response = anonymous(api).get(f"/api/v1/registry/{award.certificate_number}/")
    assert response.data["status"] == "revoked"
