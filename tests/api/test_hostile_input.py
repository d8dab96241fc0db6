"""Input no client should send gets a clear 4xx in JSON, never a 5xx."""

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def referent_api(api):
    dossier = factories.DossierFactory()
    referent = factories.member(dossier.collectivity)
    return api.as_user(referent), dossier


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/dossiers/?collectivity=99999999999999999999",
        "/api/v1/dossiers/?campaign=-1",
        "/api/v1/dossiers/?state=%00",
        "/api/v1/campaigns/?status=%00",
    ],
)
def test_a_query_out_of_range_or_with_a_nul_is_refused_with_400(referent_api, url):
    api, _dossier = referent_api
    response = api.get(url)
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/dossiers/99999999999999999999/",
        "/api/v1/registry/%00/",
        "/api/v1/documents/%00/download/",
        "/api/v1/dossiers/{pk}/responses/A-1%00/",
    ],
)
def test_an_address_with_a_nul_or_an_id_out_of_range_is_not_found(referent_api, url):
    api, dossier = referent_api
    response = api.get(url.format(pk=dossier.pk))
    assert response.status_code in (404, 405)
    assert response["Content-Type"] == "application/json"


def test_the_public_pages_answer_404_to_a_nul():
    assert Client().get("/verify/%00/").status_code == 404
    assert Client().get("/api/v1/registry/%00/").status_code == 404


def test_a_nul_in_an_answer_is_refused_with_400(referent_api):
    api, dossier = referent_api
    response = api.put(
        f"/api/v1/dossiers/{dossier.pk}/responses/A-1/", {"answer": "a\x00b"}, format="json"
    )
    assert response.status_code == 400


def test_a_json_body_nested_too_deep_is_refused_with_400(referent_api):
    api, dossier = referent_api
    response = api.generic(
        "POST", f"/api/v1/dossiers/{dossier.pk}/transitions/withdraw/", "[" * 100_000,
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_a_body_over_the_limit_is_refused_with_413_in_json(referent_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    api, dossier = referent_api
    body = '{"answer": "' + "x" * 4096 + '"}'
    response = api.generic(
        "PUT", f"/api/v1/dossiers/{dossier.pk}/responses/A-1/", body,
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 413
    assert response.json()["detail"] == "The request is larger than 1.0\xa0KB."


def test_a_transition_body_that_is_not_an_object_is_refused_with_400(referent_api):
    api, dossier = referent_api
    response = api.post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/withdraw/", ["comment"], format="json"
    )
    assert response.status_code == 400
