"""The dashboard lists the open information requests of the dossiers the user sees, the
overdue ones first and marked: the referent reads what to answer, the auditor and the
manager what they wait for."""

import sys

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


def test_a_manager_sees_the_most_pressing_and_a_link_to_every_dossier_awaiting_an_answer(
    sign_in, monkeypatch
):
    # (the package's `dashboard` is the view: the module is reached by name)
    monkeypatch.setattr(sys.modules["certification.views.dashboard"], "MANAGER_REQUESTS", 2)
    dossiers = [f.DossierFactory(state="information_requested") for _ in range(3)]
    for day, dossier in zip((3, 1, 2), dossiers, strict=True):
        dossier.information_requests.update(due_date=f"2030-01-0{day}")
    client = sign_in(f.manager())
    page = client.get("/").content.decode()
    start = page.index('id="requests-title"')
    section = page[start : page.index("</section>", start)]
    shown = [d.pk for d in dossiers if f'href="/dossiers/{d.pk}/"' in section]
    assert shown == [dossiers[1].pk, dossiers[2].pk]  # due first, first
    assert 'href="?state=information_requested#dossiers-title"' in section
    listed = client.get("/?state=information_requested").content.decode()
    table = listed[listed.index('id="dossiers-title"') :]
    assert all(f'value="{d.pk}"' in table for d in dossiers)


def test_a_referent_sees_every_request_and_no_link(sign_in, asked):
    dossier, _request = asked
    page = sign_in(dossier.cast.referent).get("/").content.decode()
    assert 'id="requests-title"' in page and "?state=information_requested" not in page
