"""POST /api/v1/auth/token/ and `Authorization: Token <key>`."""

import pytest
from rest_framework.authtoken.models import Token

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def obtain(client, **data):
    return client.post("/api/v1/auth/token/", data, format="json")


def test_a_user_obtains_a_token_and_uses_it(api):
    user = factories.UserFactory(username="agent")
    response = obtain(api, username="agent", password=PASSWORD)
    assert response.status_code == 200, response.data
    assert set(response.data) == {"token"}
    assert response.data["token"] == Token.objects.get(user=user).key
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert api.get("/api/v1/dossiers/").status_code == 200
    assert obtain(api, username="agent", password=PASSWORD).data == response.data  # same key


@pytest.mark.parametrize(
    "data",
    [
        {"username": "agent", "password": "wrong"},
        {"username": "personne", "password": PASSWORD},
        {"username": "agent"},
        {},
    ],
)
def test_it_refuses_wrong_or_missing_credentials(api, data):
    factories.UserFactory(username="agent")
    response = obtain(api, **data)
    assert response.status_code == 400
    assert response.data["detail"]
    assert not Token.objects.exists()


def test_it_refuses_an_inactive_user(api):
    factories.UserFactory(username="agent", is_active=False)
    assert obtain(api, username="agent", password=PASSWORD).status_code == 400
    assert not Token.objects.exists()


def test_the_demo_password_opens_nothing_when_debug_is_off(api, settings):
    settings.DEBUG = False
    assert obtain(api, username="niort", password="demo").status_code == 400
    settings.DEBUG = True
    assert obtain(api, username="niort", password="demo").status_code == 200


def test_it_refuses_malformed_json(api):
    response = api.post(
        "/api/v1/auth/token/", '{"username": "agent"', content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("header", ["Token not-a-key", "Token", "Token a b", "Bearer abc"])
def test_a_bad_authorization_header_is_unauthenticated(api, header):
    response = api.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.data["detail"]


def test_a_token_of_a_deactivated_user_stops_working(api):
    user = factories.UserFactory(username="agent")
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = api.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401


def test_an_unknown_api_address_answers_json(api):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
