import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_signs_in_and_lands_on_the_dashboard(client):
    f.UserFactory(username="alice")
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert b"alice" in page.content


def test_it_shows_the_login_form_with_username_and_password_fields(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_it_refuses_a_wrong_password(client):
    f.UserFactory(username="alice")
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url", ["/", "/dossiers/1/", "/collectivities/", "/collectivities/1/", "/documents/1/download/"]
)
def test_it_sends_anonymous_users_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_signs_out_with_a_post(sign_in):
    client = sign_in(f.UserFactory())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_it_speaks_french_by_default_and_english_on_request():
    client = Client()  # the fixture's client asks for English
    client.force_login(f.UserFactory())
    assert b'<html lang="fr">' in client.get("/").content
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert b'<html lang="en">' in page.content
    assert b"Sign out" in page.content


def test_it_has_a_language_switcher_and_a_sign_out_button(sign_in):
    page = sign_in(f.UserFactory(username="bob")).get("/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'action="/accounts/logout/"' in page
    assert "bob" in page
