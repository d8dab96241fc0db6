"""The back office's jury form offers the jurors only, by name, each with the number of
juries they already sit on."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_jury_form_offers_the_jurors_with_their_seats(client):
    from .conftest import jury_with_entries

    jury_with_entries(["Aa"])  # harsh, lenient and neutral sit on one jury
    f.juror("newcomer", first_name="Nina", last_name="Neuve")
    f.UserFactory(username="not-a-juror")
    admin = get_user_model().objects.create_superuser("root", "root@example.fr", "x")
    client.force_login(admin)

    page = client.get("/admin/juries/jury/add/").content.decode()

    assert "Nina Neuve (newcomer) — on 0 juries" in page
    assert "harsh — on 1 jury" in page
    assert "not-a-juror" not in page
