"""GET /api/v1/campaigns/{id}/categories/?collectivity=: the campaign's categories for a
collectivity, which it fits and why not, and the one a dossier opened without one takes.
The rules themselves: tests/certification/test_dossiers.py."""

import pytest

from tests.api.calls import anonymous, as_
from tests.demo import collectivity_of, label_campaign, trophy_campaign

pytestmark = pytest.mark.django_db

# the campaign, its categories, the collectivity (if the user may see it)
QUERIES = 3


def categories(api, who, campaign=None, collectivity="niort"):
    campaign = campaign or trophy_campaign()
    query = f"?collectivity={collectivity_of(collectivity).pk}" if collectivity else ""
    return as_(api, who).get(f"/api/v1/campaigns/{campaign.pk}/categories/{query}")


def test_it_says_which_categories_a_collectivity_fits_and_why_not(api):
    response = categories(api, "niort")
    assert response.status_code == 200, response.data
    assert response.data["collectivity"] == {
        "id": collectivity_of("niort").pk, "name": "Niort", "kind": "commune",
        "population": 59000,
    }  # fmt: skip
    assert response.data["category"] == "20k-100k"
    assert response.data["note"] == ""
    listed = {c["code"]: (c["fits"], c["reason"]) for c in response.data["categories"]}
    assert listed == {
        "20k-100k": (True, ""),
        "plus-100k": (False, "“Plus de 100 000 habitants” is for 100,001 inhabitants or more; "
                             "Niort has 59,000."),
        "moins-20k": (False, "“Moins de 20 000 habitants” is for up to 19,999 inhabitants; "
                             "Niort has 59,000."),
    }  # fmt: skip
    first = response.data["categories"][0]
    assert set(first) == {"code", "name", "min_population", "max_population", "fits", "reason"}


def test_it_chooses_none_and_says_why_when_several_fit(api):
    campaign = trophy_campaign()
    campaign.categories.create(code="toutes", name="Toutes", min_population=0)
    response = categories(api, "niort", campaign)
    assert response.data["category"] is None
    assert response.data["note"] == (
        "Several categories admit a population of 59,000: choose one of “Toutes”, "
        "“De 20 000 à 100 000 habitants”."
    )


def test_it_chooses_none_and_gives_the_ranges_when_none_fits(api):
    campaign = trophy_campaign()
    campaign.categories.filter(code="20k-100k").update(min_population=60000)
    response = categories(api, "niort", campaign)
    assert response.data["category"] is None
    assert response.data["note"] == (
        "No category of this campaign admits a population of 59,000 (Niort). The "
        "categories: “De 20 000 à 100 000 habitants”: 60,000 to 100,000 inhabitants; “Plus de "
        "100 000 habitants”: 100,001 inhabitants or more; “Moins de 20 000 habitants”: up to "
        "19,999 inhabitants."
    )
    assert [c["fits"] for c in response.data["categories"]] == [False, False, False]


def test_a_campaign_without_categories_has_none_to_choose(api):
    response = categories(api, "niort", label_campaign())
    assert (response.data["category"], response.data["note"], response.data["categories"]) == (
        None, "", []
    )  # fmt: skip


def test_any_member_and_a_manager_may_read_it(api, viewer):
    assert categories(api, viewer).status_code == 200
    assert categories(api, "gestionnaire").status_code == 200


def test_it_hides_the_collectivity_from_a_stranger_and_another_collectivity(api, stranger):
    assert categories(api, stranger).status_code == 404
    assert categories(api, "lille").status_code == 404


def test_it_requires_authentication(api):
    url = f"/api/v1/campaigns/{trophy_campaign().pk}/categories/?collectivity=1"
    assert anonymous(api).get(url).status_code == 401


@pytest.mark.parametrize("query", ["", "?collectivity=niort", "?collectivity=0"])
def test_it_needs_a_collectivity(api, query):
    response = as_(api, "niort").get(f"/api/v1/campaigns/{trophy_campaign().pk}/categories/{query}")
    assert response.status_code == 400
    assert "collectivity" in response.data["errors"]


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_an_unknown_campaign_is_not_found(api, pk):
    response = as_(api, "niort").get(f"/api/v1/campaigns/{pk}/categories/?collectivity=1")
    assert response.status_code == 404


def test_it_costs_a_fixed_number_of_queries(api, django_assert_num_queries):
    campaign = trophy_campaign()
    for n in range(10):
        campaign.categories.create(code=f"extra-{n}", name=f"Extra {n}", min_population=n)
    client = as_(api, "niort")
    url = f"/api/v1/campaigns/{campaign.pk}/categories/?collectivity={collectivity_of('niort').pk}"
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert len(response.data["categories"]) == 13


def test_it_is_in_the_schema(api):
    schema = anonymous(api).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/campaigns/{id}/categories/"]["get"]
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["collectivity"]
