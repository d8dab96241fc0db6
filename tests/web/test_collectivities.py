import pytest

from certification.models import Collectivity, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Parthenay", "kind": "commune", "siren": "217902014", "insee_code": "79202",
    "population": "10000", "department": "Deux-Sèvres", "region": "Nouvelle-Aquitaine",
}  # fmt: skip


def test_it_lists_every_collectivity_to_a_manager_with_the_register_form(sign_in):
    first, second = f.CollectivityFactory(), f.CollectivityFactory()
    page = sign_in(f.manager()).get("/collectivities/").content.decode()
    assert first.name in page and second.name in page
    assert 'name="siren"' in page


def test_it_lists_only_their_own_collectivities_to_a_member(sign_in):
    mine, theirs = f.CollectivityFactory(), f.CollectivityFactory()
    page = sign_in(f.member(mine, "viewer")).get("/collectivities/").content.decode()
    assert mine.name in page and theirs.name not in page
    assert 'name="siren"' not in page


def test_it_paginates_the_collectivities_by_25(sign_in):
    for _ in range(26):
        f.CollectivityFactory()
    client = sign_in(f.manager())
    assert len(client.get("/collectivities/").context["page"]) == 25
    assert len(client.get("/collectivities/?page=2").context["page"]) == 1


def test_it_registers_a_collectivity(sign_in):
    response = sign_in(f.manager()).post("/collectivities/", FIELDS)
    collectivity = Collectivity.objects.get(siren="217902014")
    assert response["Location"] == f"/collectivities/{collectivity.pk}/"
    assert collectivity.population == 10000


def test_it_refuses_a_wrong_siren_with_400(sign_in):
    response = sign_in(f.manager()).post("/collectivities/", {**FIELDS, "siren": "217902015"})
    assert response.status_code == 400
    assert "checksum" in response.content.decode()
    assert not Collectivity.objects.exists()


def test_it_refuses_a_registration_by_a_referent_with_403(sign_in):
    client = sign_in(f.member(f.CollectivityFactory()))
    response = client.post("/collectivities/", FIELDS)
    assert response.status_code == 403
    assert "Only programme managers register collectivities." in response.content.decode()
    assert not Collectivity.objects.filter(siren="217902014").exists()


def test_it_shows_a_collectivity_and_its_members(sign_in):
    collectivity = f.CollectivityFactory()
    f.member(collectivity, "contributor", username="paul")
    page = sign_in(f.member(collectivity, "viewer")).get(f"/collectivities/{collectivity.pk}/")
    assert page.status_code == 200
    assert "paul" in page.content.decode()
    assert 'name="username"' not in page.content.decode()


def test_it_hides_a_collectivity_from_a_stranger(sign_in):
    collectivity = f.CollectivityFactory()
    assert sign_in(f.UserFactory()).get(f"/collectivities/{collectivity.pk}/").status_code == 404


def add_member(client, collectivity, username, role="contributor"):
    url = f"/collectivities/{collectivity.pk}/members/"
    return client.post(url, {"username": username, "role": role})


@pytest.mark.parametrize("who", ["referent", "manager"])
def test_it_lets_a_referent_or_a_manager_add_a_member(sign_in, who):
    collectivity = f.CollectivityFactory()
    user = f.manager() if who == "manager" else f.member(collectivity)
    newcomer = f.UserFactory()
    client = sign_in(user)
    assert 'name="username"' in client.get(f"/collectivities/{collectivity.pk}/").content.decode()
    response = add_member(client, collectivity, newcomer.username)
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).role == "contributor"


def test_it_lets_one_person_belong_to_two_collectivities(sign_in):
    first, second = f.CollectivityFactory(), f.CollectivityFactory()
    person = f.member(first, "viewer")
    assert add_member(sign_in(f.manager()), second, person.username).status_code == 302
    assert person.memberships.count() == 2


def test_it_refuses_a_member_added_by_a_contributor_with_403(sign_in):
    collectivity = f.CollectivityFactory()
    client = sign_in(f.member(collectivity, "contributor"))
    assert add_member(client, collectivity, f.UserFactory().username).status_code == 403


def test_it_refuses_a_member_added_by_a_stranger_with_404(sign_in):
    collectivity = f.CollectivityFactory()
    assert add_member(sign_in(f.UserFactory()), collectivity, "x").status_code == 404


def test_it_refuses_an_unknown_user_with_400(sign_in):
    collectivity = f.CollectivityFactory()
    response = add_member(sign_in(f.manager()), collectivity, "nobody")
    assert response.status_code == 400
    assert "No active user is named" in response.content.decode()


def test_it_refuses_an_unknown_role_in_the_form(sign_in):
    collectivity = f.CollectivityFactory()
    user = f.UserFactory()
    assert add_member(sign_in(f.manager()), collectivity, user.username, "boss").status_code == 400
