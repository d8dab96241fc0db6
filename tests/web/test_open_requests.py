"""The dashboard lists the open information requests of the dossiers the user sees, the
overdue ones first and marked: the referent reads what to answer, the auditor and the
manager what they wait for."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked():
    dossier = f.DossierFactory(state="information_requested")
    request = dossier.information_requests.get()
    return dossier, request


@pytest.mark.parametrize("who", ["referent", "auditor", "manager"])
def test_an_open_request_shows_on_the_dashboard_with_its_question_and_due_date(sign_in, asked, who):
    dossier, request = asked
    dossier.information_requests.update(due_date="2020-01-31")
    page = sign_in(getattr(dossier.cast, who)).get("/").content.decode()
    section = page[page.index('id="requests-title"') :]
    assert request.question[:50] in section
    assert "Overdue" in section and "due on 01/31/2020" in section


@pytest.mark.parametrize("who", ["stranger", "other_collectivity", "other_auditor"])
def test_others_do_not_see_it(sign_in, asked, who):
    dossier, request = asked
    user = {"stranger": f.UserFactory(), "other_collectivity": f.member(f.CollectivityFactory()),
            "other_auditor": f.auditor()}[who]  # fmt: skip
    assert 'id="requests-title"' not in sign_in(user).get("/").content.decode()


def test_an_answered_request_leaves_the_dashboard(sign_in, asked):
    dossier, _request = asked
    dossier.information_requests.update(answer="Voici.", answered_at="2026-01-01T00:00Z")
    assert 'id="requests-title"' not in sign_in(dossier.cast.referent).get("/").content.decode()
