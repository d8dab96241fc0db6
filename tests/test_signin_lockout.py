"""Password guessing locks an account or an address out, on the site and on the token
endpoint; successful sign-ins are never limited; a manager unlocks."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def token(api, username, password, address="10.0.0.1"):
    return api.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json",
        REMOTE_ADDR=address,
    )  # fmt: skip


def test_the_site_locks_an_account_out_after_repeated_failures(client):
    factories.UserFactory(username="agent")
    for _ in range(2):
        assert sign_in(client, "agent", "wrong").status_code == 200  # the form again
    response = sign_in(client, "agent", "wrong")
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.content.decode()
    assert response["Retry-After"] == "900"
    # Even the right password waits now, from another address too.
    assert sign_in(client, "agent", PASSWORD, address="10.0.0.2").status_code == 429


def test_the_token_endpoint_locks_out_with_a_json_429(api):
    factories.UserFactory(username="agent")
    for _ in range(2):
        assert token(api, "agent", "wrong").status_code == 400
    response = token(api, "agent", "wrong")
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.json()["detail"]
    assert token(api, "agent", PASSWORD).status_code == 429


def test_an_address_guessing_many_accounts_is_locked_out(client):
    for n in range(3):
        sign_in(client, f"nobody{n}", "wrong", address="10.9.9.9")
    factories.UserFactory(username="agent")
    assert sign_in(client, "agent", PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(client, "agent", PASSWORD, address="10.0.0.3").status_code == 302


def test_successful_sign_ins_from_one_address_are_not_limited(api):
    users = [factories.UserFactory(username=f"agent{n}") for n in range(12)]
    for user in users:
        assert token(api, user.username, PASSWORD).status_code == 200
    for user in users:
        assert sign_in(Client(), user.username, PASSWORD).status_code == 302


def test_a_success_resets_the_count_of_an_account(client):
    factories.UserFactory(username="agent")
    for _ in range(2):
        sign_in(client, "agent", "wrong")
    assert sign_in(client, "agent", PASSWORD).status_code == 302
    for _ in range(2):
        assert sign_in(Client(), "agent", "wrong").status_code == 200


def test_a_manager_unlocks_an_account_in_the_back_office(client, demo_data):
    factories.UserFactory(username="agent")
    for _ in range(3):
        sign_in(client, "agent", "wrong")
    manager = Client()
    manager.force_login(get_user_model().objects.get(username="gestionnaire"))
    page = manager.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "agent" in page.content.decode()
    from axes.models import AccessAttempt

    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    response = manager.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert sign_in(Client(), "agent", PASSWORD).status_code == 302
