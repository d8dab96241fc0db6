"""What the results open once a manager publishes them: the public laureates pages, the
laureate's trophy on the verification page, and the jury's feedback on the entrant's dossier
page (for the entrant only, never before publication)."""

import pytest

from certification.services.transitions import perform_transition
from juries import services
from tests import factories as f
from tests.juries import conftest as jury_setup
from tests.juries.conftest import jury_with_entries, sheet

pytestmark = pytest.mark.django_db

worked = jury_setup.worked  # the worked example of tests/juries (three entries, three jurors)

# The campaign's publication, then its laureates and finalists with their collectivity,
# category and trophy (no session for an anonymous visitor).
LAUREATES_PAGE = 2
LAUREATES_INDEX = 1


def designate(entry, chair, name="designate_laureate", citation="Une démarche exemplaire.",
              **data):  # fmt: skip
    return perform_transition(dossier=entry, name=name, by=chair,
                              data={"citation": citation, **data})  # fmt: skip


@pytest.fixture
def closed(worked):
    jury, entries, people, manager = worked
    services.deliberation_close(jury=jury, category_code=None, by=people["harsh"])
    designate(entries["Yport"], people["harsh"], rank=1, citation="Un pilotage exemplaire.")
    designate(entries["Xanten"], people["harsh"], name="designate_finalist",
              prize="Mention spéciale")  # fmt: skip
    return jury, entries, people, manager


@pytest.fixture
def published(closed):
    jury, entries, people, manager = closed
    services.results_publish(campaign=jury.campaign, by=manager)
    return jury, entries, people, manager


# -- The public laureates -------------------------------------------------------------------


def test_the_laureates_index_lists_the_published_campaigns_by_year(client, published):
    jury, *_ = published
    unpublished = f.CampaignFactory(name="Trophées inédits")
    response = client.get("/laureates/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/laureates/{jury.campaign_id}/"' in html
    assert f'<h2 id="year-{jury.campaign.year}">' in html
    assert unpublished.name not in html


def test_the_laureates_page_shows_laureates_then_finalists(client, published):
    jury, entries, *_ = published
    response = client.get(f"/laureates/{jury.campaign_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Yport") < html.index("Xanten")  # the laureate, then the finalist
    assert "Zellenberg" not in html  # not designated
    assert "Un pilotage exemplaire." in html and "Mention spéciale" in html
    assert "Rank 1" in html
    award = entries["Yport"].__class__.objects.get(pk=entries["Yport"].pk).certificate
    assert f'href="/verify/{award.verification_code}/"' in html
    assert html.count('href="/verify/') == 1  # a finalist holds no trophy


def test_the_laureates_page_is_not_found_before_publication(client, closed):
    jury, *_ = closed
    assert client.get(f"/laureates/{jury.campaign_id}/").status_code == 404
    assert jury.campaign.name not in client.get("/laureates/").content.decode()
    assert client.get("/laureates/999999/").status_code == 404


def published_campaign(n: int):
    """A published campaign with n laureates, each scored by the jury's three jurors."""
    names = [f"Commune {i}" for i in range(n)]
    jury, entries, people, manager = jury_with_entries(names)
    for rank, entry in enumerate(entries.values(), 1):
        for who in people.values():
            sheet(entry, who, 50 + rank)
    services.deliberation_close(jury=jury, category_code=None, by=people["harsh"])
    for rank, entry in enumerate(entries.values(), 1):
        designate(entry, people["harsh"], rank=rank)
    services.results_publish(campaign=jury.campaign, by=manager)
    return jury.campaign


def test_the_laureates_pages_cost_the_same_whatever_the_laureates(
    client, django_assert_num_queries
):
    small, large = published_campaign(1), published_campaign(4)
    client.get(f"/laureates/{small.pk}/")  # warm the content-type cache
    with django_assert_num_queries(LAUREATES_PAGE):
        assert client.get(f"/laureates/{small.pk}/").status_code == 200
    with django_assert_num_queries(LAUREATES_PAGE):
        html = client.get(f"/laureates/{large.pk}/").content.decode()
    assert html.count('href="/verify/') == 4
    with django_assert_num_queries(LAUREATES_INDEX):
        assert client.get("/laureates/").status_code == 200


# -- The trophy on the verification page ----------------------------------------------------


def test_a_trophy_verifies_as_laureate_with_its_rank_and_citation(client, published):
    _jury, entries, *_ = published
    award = entries["Yport"].__class__.objects.get(pk=entries["Yport"].pk).certificate
    response = client.get(f"/verify/{award.verification_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Laureate" in html and "rank 1" in html and "Un pilotage exemplaire." in html
    assert f"Trophy {award.certificate_number} is authentic" in html
    assert "Valid until" not in html and "Level" not in html  # a label's wording


# -- The entrant's feedback on the dossier page ---------------------------------------------


def feedback_of(response) -> str:
    html = response.content.decode()
    start = html.find('id="feedback"')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


def test_the_entrant_reads_the_jurys_feedback_once_published(sign_in, published):
    _jury, entries, *_ = published
    yport = entries["Yport"]
    response = sign_in(f.member(yport.collectivity, "viewer")).get(f"/dossiers/{yport.pk}/")
    assert response.status_code == 200
    feedback = feedback_of(response)
    assert "Laureate" in feedback and "rank 1" in feedback
    assert "Un pilotage exemplaire." in feedback
    # Yport's sheets: 50, 80, 60 → 63.33; the category: (55 + 63.33 + 60) / 3 = 59.44.
    assert "<td>63.33</td>" in feedback and "<td>59.44</td>" in feedback
    assert all(name not in feedback for name in ("harsh", "lenient", "neutral"))


def test_an_entry_left_undesignated_says_so(sign_in, published):
    _jury, entries, *_ = published
    zellenberg = entries["Zellenberg"]
    response = sign_in(f.member(zellenberg.collectivity)).get(f"/dossiers/{zellenberg.pk}/")
    assert "Not designated" in feedback_of(response)


def test_a_not_shortlisted_entry_reads_the_reason(sign_in, published):
    jury, _entries, _people, manager = published
    entry = f.DossierFactory(campaign=jury.campaign, state="report_issued")
    perform_transition(dossier=entry, name="not_shortlist", by=manager,
                       data={"comment": "Le dossier manque d'indicateurs."})  # fmt: skip
    response = sign_in(f.member(entry.collectivity)).get(f"/dossiers/{entry.pk}/")
    feedback = feedback_of(response)
    assert "Not shortlisted" in feedback and "Le dossier manque d&#x27;indicateurs." in feedback


def test_there_is_no_feedback_before_publication(sign_in, closed):
    _jury, entries, *_ = closed
    yport = entries["Yport"]
    response = sign_in(f.member(yport.collectivity)).get(f"/dossiers/{yport.pk}/")
    assert response.status_code == 200
    assert response.context["feedback"] is None
    assert "The jury&#x27;s feedback" not in response.content.decode()


def test_the_feedback_is_the_entrants_only(sign_in, published):
    _jury, entries, people, _manager = published
    yport = entries["Yport"]
    url = f"/dossiers/{yport.pk}/"
    assert sign_in(f.member(f.CollectivityFactory())).get(url).status_code == 404
    assert sign_in(f.UserFactory()).get(url).status_code == 404
    juror = sign_in(people["neutral"]).get(url)  # a juror who scored it sees the dossier
    assert juror.status_code == 200 and juror.context["feedback"] is None
