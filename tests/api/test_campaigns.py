"""GET /api/v1/campaigns/ (filter `status`) and GET /api/v1/campaigns/{id}/."""

import pytest

from tests import factories
from tests.api.calls import anonymous, as_
from tests.demo import label_campaign

pytestmark = pytest.mark.django_db


def names(api, query=""):
    response = as_(api, "niort").get(f"/api/v1/campaigns/{query}")
    assert response.status_code == 200, response.data
    return {c["name"] for c in response.data["results"]}


def test_it_lists_the_campaigns_with_their_scheme(api):
    response = as_(api, "niort").get("/api/v1/campaigns/")
    assert response.data["count"] == 2
    schemes = {c["scheme"]["code"]: c["scheme"]["kind"] for c in response.data["results"]}
    assert schemes == {"label-performance-publique": "label",
                       "trophees-performance-publique": "trophy"}  # fmt: skip


def test_it_filters_the_campaigns_by_status(api):
    closed = factories.CampaignFactory(closed=True, name="Édition 2024")
    demo = names(api)
    assert names(api, "?status=open") == demo - {closed.name}
    assert names(api, "?status=closed") == {closed.name}
    assert names(api, "?status=upcoming") == set()


def test_it_refuses_an_unknown_status(api):
    response = as_(api, "niort").get("/api/v1/campaigns/?status=ouvert")
    assert response.status_code == 400
    assert response.data["detail"]


def test_the_campaigns_require_authentication(api):
    assert anonymous(api).get("/api/v1/campaigns/").status_code == 401


def test_a_campaign_shows_its_referential(api):
    response = as_(api, "niort").get(f"/api/v1/campaigns/{label_campaign().pk}/")
    assert response.status_code == 200
    chapters = response.data["referential"]["chapters"]
    assert [c["code"] for c in chapters] == ["GOV", "SRV", "ENV"]
    criterion = chapters[0]["criteria"][0]
    assert {"code", "title", "mandatory", "max_points", "weight", "sdg_goals"} <= set(criterion)
    assert (criterion["code"], criterion["mandatory"], criterion["max_points"]) == (
        "GOV-1",
        True,
        150,
    )


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_an_unknown_campaign_is_not_found(api, pk):
    response = as_(api, "niort").get(f"/api/v1/campaigns/{pk}/")
    assert response.status_code == 404
    assert response.data["detail"]
