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

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("category", [None, "plus-20k", "cadre-de-vie"])
def test_it_wants_a_category_that_fits_the_population(by_population, category):
    campaign, collectivity, referent = by_population
    with pytest.raises(InvalidInput):
        open_dossier(collectivity, campaign, referent, category)
    assert not Dossier.objects.exists()


def test_it_opens_a_dossier_in_the_category_of_its_population(by_population):
    campaign, collectivity, referent = by_population
    dossier = open_dossier(collectivity, campaign, referent, "moins-20k")
    assert dossier.category.code == "moins-20k"
