import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_lists_campaigns_and_filters_them_by_status(sign_in):
    current = f.CampaignFactory(name="Label 2026")
    past = f.CampaignFactory(name="Label 2020", closed=True)
    client = sign_in(f.UserFactory())
    page = client.get("/campaigns/").content.decode()
    assert current.name in page and past.name in page
    page = client.get("/campaigns/?status=open").content.decode()
    assert current.name in page and past.name not in page


def test_it_shows_a_campaigns_referential(sign_in, demo_data):
    from certification.models import Campaign

    campaign = Campaign.objects.get(scheme__kind="trophy")
    page = sign_in("niort").get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "GOV-1" in page and "Exemplaire" in page and "Moins de 20 000 habitants" in page


def test_it_requires_signing_in_to_see_campaigns(client):
    assert client.get("/campaigns/").status_code == 302


def test_it_answers_404_for_an_unknown_campaign(sign_in):
    assert sign_in(f.UserFactory()).get("/campaigns/999999/").status_code == 404


def test_the_campaign_page_does_not_grow_with_its_criteria(sign_in, django_assert_num_queries):
    small = f.CampaignFactory()
    large = f.CampaignFactory(
        referential=f.ReferentialFactory(criteria=[(f"A-{n}", False) for n in range(12)])
    )
    client = sign_in(f.UserFactory())
    client.get(f"/campaigns/{small.pk}/")
    with django_assert_num_queries(7):
        client.get(f"/campaigns/{small.pk}/")
    with django_assert_num_queries(7):
        assert "A-11" in client.get(f"/campaigns/{large.pk}/").content.decode()
