"""French first, English complete."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_the_site_speaks_french_by_default():
    page = Client().get("/accounts/login/").content.decode()
    assert 'lang="fr"' in page
    assert "Se connecter" in page


def test_it_speaks_english_to_who_asks():
    page = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page


def test_api_errors_are_in_the_language_asked(demo_data):
    from tests.demo import dossier_at, user

    dossier = dossier_at("draft")
    url = f"/api/v1/dossiers/{dossier.pk}/transitions/fly/"
    api = APIClient()
    api.force_authenticate(user("niort"))
    assert api.post(url).data["detail"] == "Transition « fly » inconnue."
    response = api.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.data["detail"] == "Unknown transition “fly”."


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_message_is_translated(language):
    catalog = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = catalog.split("\n\n")[1:]  # the first one is the header
    # An empty msgstr line not continued by a string line is a message left untranslated.
    empty = re.compile(r'^msgstr(\[\d\])? ""\n(?!")', re.M)
    untranslated = [e for e in entries if empty.search(e + "\n")]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated, untranslated[:3]
    assert not fuzzy, fuzzy[:3]
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
