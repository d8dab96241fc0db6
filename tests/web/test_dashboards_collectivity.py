"""The collectivity's dashboard opens on what needs it now: its dossiers waiting on it, with
the next step, the deadline and, for a draft, how complete it is; the auditors' questions
with their text and due date. Nothing of other collectivities, nothing of the manager's."""

import pytest
from django.utils.timezone import localtime

from certification.models import CriterionResponse
from tests import factories as f

pytestmark = pytest.mark.django_db


def section(page: str, title_id: str) -> str:
    start = page.index(f'id="{title_id}"')
    return page[start : page.index("</section>", start)]


def answer(dossier, code, by):
    criterion = dossier.referential.criteria.get(code=code)
    CriterionResponse.objects.create(dossier=dossier, criterion=criterion, answer="Oui.",
                                     updated_by=by)  # fmt: skip


def test_a_draft_shows_its_next_step_deadline_and_completeness(sign_in):
    referential = f.ReferentialFactory(criteria=[("A-1", True), ("A-2", False), ("A-3", False)])
    dossier = f.DossierFactory(campaign=f.CampaignFactory(referential=referential))
    referent = f.member(dossier.collectivity)
    answer(dossier, "A-1", referent)
    page = sign_in(referent).get("/").content.decode()
    now = section(page, "needs-you-title")
    assert f'href="/dossiers/{dossier.pk}/"' in now
    assert "Answer the criteria and upload the evidence" in now
    closes = localtime(dossier.campaign.closes_at).strftime("%m/%d/%Y")  # as Paris reads it
    assert f"by {closes}" in now
    assert '<progress max="3" value="1"' in now and "1/3 answered" in now
    table = page[page.index('id="dossiers-title"') :]
    assert 'class="yours">You:</strong> answer the criteria' in table


def test_an_open_question_shows_its_text_and_due_date(sign_in):
    dossier = f.DossierFactory(state="information_requested")
    request = dossier.information_requests.get()
    request.question = "Joignez le compte administratif 2025."
    request.save(update_fields=["question"])
    dossier.information_requests.update(due_date="2031-03-15")
    page = sign_in(dossier.cast.referent).get("/").content.decode()
    now = section(page, "needs-you-title")
    assert "Answer the auditor&#x27;s question — by 03/15/2031" in now
    assert "Joignez le compte administratif 2025.</blockquote>" in now
    questions = section(page, "requests-title")
    assert "Joignez le compte administratif 2025." in questions and "due on 03/15/2031" in questions


def test_a_dossier_waiting_on_someone_else_says_who(sign_in):
    dossier = f.DossierFactory(state="submitted")
    page = sign_in(dossier.cast.referent).get("/").content.decode()
    assert 'id="needs-you-title"' not in page
    assert "The programme manager:</strong> check the dossier&#x27;s admissibility" in page


def test_a_viewer_is_not_asked_to_act(sign_in):
    dossier = f.DossierFactory()
    page = sign_in(f.member(dossier.collectivity, "viewer")).get("/").content.decode()
    assert 'id="needs-you-title"' not in page
    assert f'href="/dossiers/{dossier.pk}/"' in page


def test_it_shows_nothing_of_other_collectivities(sign_in):
    mine, theirs = f.DossierFactory(), f.DossierFactory(state="information_requested")
    page = sign_in(f.member(mine.collectivity)).get("/").content.decode()
    assert f'href="/dossiers/{mine.pk}/"' in page
    assert f"/dossiers/{theirs.pk}/" not in page
    assert theirs.collectivity.name not in page


def test_it_shows_none_of_the_managers_sections(sign_in):
    dossier = f.DossierFactory(state="submitted")
    page = sign_in(dossier.cast.referent).get("/").content.decode()
    for manager_only in ('id="queues-title"', 'id="campaigns-title"', 'id="bulk-form"',
                         "/dashboard/export", 'name="dossiers"'):  # fmt: skip
        assert manager_only not in page


@pytest.mark.parametrize("url", ["/dashboard/export.csv", "/dashboard/export.xlsx"])
def test_a_referent_may_not_export(sign_in, url):
    dossier = f.DossierFactory()
    assert sign_in(f.member(dossier.collectivity)).get(url).status_code == 403


def test_a_referent_may_not_run_a_bulk_action(sign_in):
    dossier = f.DossierFactory(state="submitted")
    client = sign_in(dossier.cast.referent)
    response = client.post("/dashboard/bulk/", {"action": "declare_admissible",
                                                "dossiers": [dossier.pk]})  # fmt: skip
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == "submitted"


@pytest.mark.parametrize("url", ["/", "/dashboard/export.csv", "/dashboard/export.xlsx"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_anonymous_bulk_action_is_sent_to_sign_in(client):
    response = client.post("/dashboard/bulk/", {"action": "declare_admissible", "dossiers": [1]})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
