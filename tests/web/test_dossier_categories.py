"""The category of a new dossier on the dashboard: only the categories the collectivity fits
are offered, the only one chosen; otherwise the field says why (none fits: the population
and the ranges; several fit: choose among them). `GET /dossiers/new/categories/` sends the
field again (htmx) when the collectivity or the campaign changes."""

import pytest
from django.utils.html import escape

from certification.models import Category, Dossier
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# session + user, the referent's collectivities, the open campaigns and their categories
FIELD_QUERIES = 5


@pytest.fixture
def trophy():
    campaign = f.CampaignFactory(name="Trophées 2026")
    Category.objects.create(campaign=campaign, code="petites", name="Small",
                            max_population=19999)  # fmt: skip
    Category.objects.create(campaign=campaign, code="moyennes", name="Medium",
                            min_population=20000, max_population=99999)  # fmt: skip
    Category.objects.create(campaign=campaign, code="grandes", name="Large",
                            min_population=100000)  # fmt: skip
    return campaign


@pytest.fixture
def niort():
    return f.CollectivityFactory(name="Niort", population=59000)


def category_field(page: str) -> str:
    start = page.index('id="category-field"')
    return page[start : page.index("</div>", page.index("</select>", start))]


def open_dossier(client, collectivity, campaign, category=""):
    data = {"collectivity": collectivity.pk, "campaign": campaign.pk, "category": category}
    return client.post("/dossiers/new/", data)


def test_the_form_offers_only_the_categories_the_collectivity_fits(sign_in, trophy, niort):
    page = sign_in(f.member(niort)).get("/").content.decode()
    assert f'<option value="{niort.pk}" selected>Niort</option>' in page  # the only one
    field = category_field(page)
    assert '<optgroup label="Trophées 2026">' in field
    assert '<option value="moyennes">Medium</option>' in field
    assert "petites" not in field and "grandes" not in field


def test_the_field_for_a_campaign_chooses_the_only_category_that_fits(sign_in, trophy, niort):
    client = sign_in(f.member(niort))
    response = client.get(f"/dossiers/new/categories/?collectivity={niort.pk}&campaign={trophy.pk}")
    assert response.status_code == 200
    field = response.content.decode()
    assert field.startswith('<div class="field" id="category-field">')
    assert '<option value="moyennes" selected>Medium</option>' in field
    assert "petites" not in field and "grandes" not in field
    assert "The only category that admits a population of 59,000." in field


def test_the_field_says_why_when_no_category_fits(sign_in, trophy):
    village = f.CollectivityFactory(name="Village", population=50)
    trophy.categories.filter(code="petites").update(min_population=100)
    client = sign_in(f.member(village))
    field = client.get(
        f"/dossiers/new/categories/?collectivity={village.pk}&campaign={trophy.pk}"
    ).content.decode()
    assert "<option" in field and "<optgroup" not in field  # "---------" only
    assert escape("No category of this campaign admits a population of 50 (Village).") in field


def test_the_field_costs_a_fixed_number_of_queries(sign_in, trophy, niort,
                                                   django_assert_num_queries):  # fmt: skip
    client = sign_in(f.member(niort))
    for n in range(10):
        Category.objects.create(campaign=f.CampaignFactory(), code="c", name=f"C{n}")
    url = f"/dossiers/new/categories/?collectivity={niort.pk}&campaign={trophy.pk}"
    client.get(url)  # warm the content-type cache
    with django_assert_num_queries(FIELD_QUERIES):
        assert client.get(url).status_code == 200


def test_the_field_of_a_stranger_offers_nothing_of_theirs(sign_in, trophy, niort):
    """Someone else's collectivity is not among those offered: nothing is filtered for it."""
    client = sign_in(f.UserFactory())
    field = client.get(
        f"/dossiers/new/categories/?collectivity={niort.pk}&campaign={trophy.pk}"
    ).content.decode()
    assert "59,000" not in field and '"moyennes" selected' not in field


def test_the_field_requires_signing_in(client, trophy):
    response = client.get(f"/dossiers/new/categories/?campaign={trophy.pk}")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_without_a_category_the_dossier_opens_in_the_only_one_that_fits(sign_in, trophy,
                                                                       niort):  # fmt: skip
    response = open_dossier(sign_in(f.member(niort)), niort, trophy)
    assert response.status_code == 302
    assert Dossier.objects.get().category.code == "moyennes"


def test_a_category_that_does_not_fit_is_refused_at_the_field(sign_in, trophy, niort):
    response = open_dossier(sign_in(f.member(niort)), niort, trophy, "grandes")
    assert response.status_code == 400
    page = response.content.decode()
    field = category_field(page)
    says = escape("“Large” is for 100,000 inhabitants or more; Niort has 59,000.")
    assert 'class="field field-error"' in page[page.index('id="category-field"') - 40 :]
    assert says in field and escape("The category that fits: “Medium”.") in field
    assert '<option value="moyennes" selected>Medium</option>' not in field  # the choice kept
    assert 'role="alert"' in field and 'class="messages"' not in page
    # what was entered is kept
    assert f'<option value="{niort.pk}" selected>Niort</option>' in page
    assert f'<option value="{trophy.pk}" selected>Trophées 2026</option>' in page
    assert not Dossier.objects.exists()


def test_no_fitting_category_is_refused_at_the_field_with_the_population(sign_in, trophy):
    town = f.CollectivityFactory(name="Town", population=150000)
    trophy.categories.filter(code="grandes").update(max_population=120000)
    response = open_dossier(sign_in(f.member(town)), town, trophy)
    assert response.status_code == 400
    field = category_field(response.content.decode())
    assert escape("No category of this campaign admits a population of 150,000 (Town).") in field
    assert escape("“Large”: 100,000 to 120,000 inhabitants") in field


def test_several_fitting_categories_ask_to_choose_at_the_field(sign_in, trophy, niort):
    Category.objects.create(campaign=trophy, code="toutes", name="All", min_population=0)
    response = open_dossier(sign_in(f.member(niort)), niort, trophy)
    assert response.status_code == 400
    field = category_field(response.content.decode())
    says = "Several categories admit a population of 59,000: choose one of “All”, “Medium”."
    assert escape(says) in field
    assert '<option value="toutes">All</option>' in field
    assert '<option value="moyennes">Medium</option>' in field
    assert "grandes" not in field


def test_an_unknown_category_is_refused_at_the_field(sign_in, trophy, niort):
    response = open_dossier(sign_in(f.member(niort)), niort, trophy, "cadre-de-vie")
    assert response.status_code == 400
    field = category_field(response.content.decode())
    assert escape("Unknown category “cadre-de-vie” for this campaign.") in field


@pytest.mark.parametrize("who", ["stranger", "other referent"])
def test_only_a_referent_of_the_collectivity_opens_its_dossier(sign_in, trophy, niort, who):
    user = f.UserFactory() if who == "stranger" else f.member(f.CollectivityFactory())
    response = open_dossier(sign_in(user), niort, trophy, "moyennes")
    assert response.status_code == 400  # not a collectivity they can choose
    assert not Dossier.objects.exists()
