"""`dossier_create`: a collectivity's referent opens a dossier on an open campaign, one
active dossier per campaign, in the category the population falls in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification import roles
from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.models import Category, Dossier
from certification.services.dossiers import dossier_create
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def open_dossier(collectivity, campaign, by, category=None):
    return dossier_create(
        collectivity=collectivity, campaign=campaign, category_code=category, by=by
    )


def test_the_referent_opens_a_draft_on_the_campaigns_referential():
    collectivity, campaign = f.CollectivityFactory(), f.CampaignFactory()
    referent = f.member(collectivity)
    viewer = f.member(collectivity, "viewer")

    dossier = open_dossier(collectivity, campaign, referent)

    assert (dossier.state, dossier.referential, dossier.created_by) == (
        "draft", campaign.referential, referent,
    )  # fmt: skip
    assert roles.can_view(viewer, dossier)  # the collectivity's members see it


@pytest.mark.parametrize("who", ["contributor", "viewer", "manager", "stranger"])
def test_only_a_referent_of_the_collectivity_opens_a_dossier(who):
    collectivity = f.CollectivityFactory()
    by = {
        "contributor": lambda: f.member(collectivity, "contributor"),
        "viewer": lambda: f.member(collectivity, "viewer"),
        "manager": f.manager,
        "stranger": lambda: f.member(f.CollectivityFactory()),  # another one's referent
    }[who]()
    with pytest.raises(NotAllowed):
        open_dossier(collectivity, f.CampaignFactory(), by)
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("when", ["closed", "upcoming"])
def test_it_refuses_a_campaign_that_is_not_open(when):
    collectivity = f.CollectivityFactory()
    if when == "closed":
        campaign = f.CampaignFactory(closed=True)
    else:
        campaign = f.CampaignFactory(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(Conflict):
        open_dossier(collectivity, campaign, f.member(collectivity))
    assert not Dossier.objects.exists()


def test_it_refuses_a_second_active_dossier_for_the_same_campaign():
    dossier = f.DossierFactory(state="submitted")
    with pytest.raises(Conflict):
        open_dossier(dossier.collectivity, dossier.campaign, dossier.cast.referent)
    assert Dossier.objects.count() == 1


def test_a_withdrawn_dossier_lets_the_collectivity_apply_again():
    dossier = f.DossierFactory(state="withdrawn")
    again = open_dossier(dossier.collectivity, dossier.campaign, dossier.cast.referent)
    assert again.state == "draft"


@pytest.fixture
def by_population():
    """A campaign with categories by population, and a commune of 12,000 inhabitants."""
    campaign = f.CampaignFactory()
    Category.objects.create(campaign=campaign, code="moins-20k", name="<20k",
                            max_population=19999)  # fmt: skip
    Category.objects.create(campaign=campaign, code="plus-20k", name=">=20k",
                            min_population=20000)  # fmt: skip
    collectivity = f.CollectivityFactory(population=12000)
    return campaign, collectivity, f.member(collectivity)


@pytest.mark.parametrize(
    "category, says",
    [
        ("plus-20k", "“>=20k” is for 20,000 inhabitants or more; Commune 0 has 12,000. "
                     "The category that fits: “<20k”."),
        ("cadre-de-vie", "Unknown category “cadre-de-vie” for this campaign."),
    ],
)  # fmt: skip
def test_it_refuses_a_category_that_does_not_fit_at_the_field(by_population, category, says):
    campaign, collectivity, referent = by_population
    collectivity.name = "Commune 0"
    with pytest.raises(InvalidInput) as refused:
        open_dossier(collectivity, campaign, referent, category)
    assert refused.value.detail == says
    assert refused.value.extra["errors"] == {"category": [says]}
    assert not Dossier.objects.exists()


def test_it_opens_a_dossier_in_the_category_of_its_population(by_population):
    campaign, collectivity, referent = by_population
    dossier = open_dossier(collectivity, campaign, referent, "moins-20k")
    assert dossier.category.code == "moins-20k"


def test_without_a_category_it_takes_the_only_one_that_fits(by_population):
    campaign, collectivity, referent = by_population
    assert open_dossier(collectivity, campaign, referent).category.code == "moins-20k"


def test_without_a_category_it_asks_to_choose_among_those_that_fit(by_population):
    campaign, collectivity, referent = by_population
    Category.objects.create(campaign=campaign, code="toutes", name="All", min_population=0)
    with pytest.raises(InvalidInput) as refused:
        open_dossier(collectivity, campaign, referent)
    assert refused.value.extra["errors"]["category"] == [
        "Several categories admit a population of 12,000: choose one of “All”, “<20k”."
    ]
    assert not Dossier.objects.exists()


def test_it_says_the_population_and_the_ranges_when_no_category_fits(by_population):
    campaign, collectivity, referent = by_population
    campaign.categories.update(max_population=5000)
    campaign.categories.filter(code="plus-20k").update(min_population=1000)
    collectivity.name = "Commune 0"
    with pytest.raises(InvalidInput) as refused:
        open_dossier(collectivity, campaign, referent)
    assert refused.value.detail == (
        "No category of this campaign admits a population of 12,000 (Commune 0). The "
        "categories: “>=20k”: 1,000 to 5,000 inhabitants; “<20k”: up to 5,000 inhabitants."
    )
    assert not Dossier.objects.exists()


def test_a_campaign_without_categories_takes_none(by_population):
    _campaign, collectivity, referent = by_population
    assert open_dossier(collectivity, f.CampaignFactory(), referent).category is None
