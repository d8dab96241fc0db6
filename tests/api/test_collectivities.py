"""GET|POST /api/v1/collectivities/ and POST /api/v1/collectivities/{id}/members/."""

import pytest

from certification.models import Collectivity, Membership
from tests import factories
from tests.api.calls import anonymous, as_
from tests.demo import collectivity_of, dossier_at

pytestmark = pytest.mark.django_db

VALID = {
    "name": "La Rochelle",
    "kind": "commune",
    "siren": factories.valid_siren(4242),
    "insee_code": "17300",
    "population": 77000,
    "department": "Charente-Maritime",
    "region": "Nouvelle-Aquitaine",
}


def register(api, who, **changes):
    return as_(api, who).post("/api/v1/collectivities/", {**VALID, **changes}, format="json")


def assert_nothing_created(response, status):
    assert response.status_code == status, response.data
    assert response.data["detail"]
    assert Collectivity.objects.count() == 3  # the demo's


# -- List and detail -----------------------------------------------------------------------


def listed(api, who):
    response = as_(api, who).get("/api/v1/collectivities/")
    assert response.status_code == 200, response.data
    return [c["name"] for c in response.data["results"]]


def test_a_member_lists_their_collectivities_and_a_manager_all(api, stranger):
    assert listed(api, "niort") == ["Niort"]
    assert listed(api, "gestionnaire") == ["Métropole Européenne de Lille", "Niort", "Vertou"]
    assert listed(api, stranger) == []


def test_the_list_requires_authentication(api):
    assert anonymous(api).get("/api/v1/collectivities/").status_code == 401


def test_it_hides_another_collectivity(api):
    niort = collectivity_of("niort")
    assert as_(api, "niort").get(f"/api/v1/collectivities/{niort.pk}/").status_code == 200
    response = as_(api, "lille").get(f"/api/v1/collectivities/{niort.pk}/")
    assert response.status_code == 404
    assert response.data["detail"]


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_an_unknown_collectivity_is_not_found(api, pk):
    assert as_(api, "gestionnaire").get(f"/api/v1/collectivities/{pk}/").status_code == 404


# -- Registering a collectivity --------------------------------------------------------------


def test_a_manager_registers_a_collectivity(api):
    response = register(api, "gestionnaire")
    assert response.status_code == 201, response.data
    assert response.data["siren"] == VALID["siren"]
    assert Collectivity.objects.filter(siren=VALID["siren"]).exists()


@pytest.mark.parametrize("who", ["niort", "auditeur", "comite"])
def test_it_refuses_anyone_but_a_manager_registering(api, who):
    assert_nothing_created(register(api, who), 403)


def test_it_refuses_an_anonymous_user_registering(api):
    response = anonymous(api).post("/api/v1/collectivities/", VALID, format="json")
    assert_nothing_created(response, 401)


def wrong_checksum(siren: str) -> str:
    return siren[:-1] + str((int(siren[-1]) + 1) % 10)


@pytest.mark.parametrize(
    "changes",
    [
        {"siren": wrong_checksum(VALID["siren"])},
        {"siren": "21790191"},  # 8 digits
        {"siren": "2179O1917"},  # a letter O
        {"siren": "217901917"},  # Niort's: already registered
        {"insee_code": "7919"},
        {"kind": "canton"},
        {"population": -5},
        {"population": 10**20},
        {"population": "beaucoup"},
        {"name": ""},
    ],
)
def test_it_refuses_invalid_fields(api, changes):
    assert_nothing_created(register(api, "gestionnaire", **changes), 400)


def test_a_wrong_siren_checksum_is_named_in_the_errors(api):
    response = register(api, "gestionnaire", siren=wrong_checksum(VALID["siren"]))
    assert response.status_code == 400
    assert "siren" in response.data["errors"]


def test_it_refuses_malformed_json(api):
    response = as_(api, "gestionnaire").post(
        "/api/v1/collectivities/", '{"name": "Brest",', content_type="application/json"
    )
    assert_nothing_created(response, 400)


# -- Members -----------------------------------------------------------------------------------


def add_member(api, who, collectivity, username="auditeur2", role="contributor"):
    return as_(api, who).post(
        f"/api/v1/collectivities/{collectivity.pk}/members/",
        {"username": username, "role": role},
        format="json",
    )


def assert_no_membership(response, status, username="auditeur2"):
    assert response.status_code == status, response.data
    assert response.data["detail"]
    assert not Membership.objects.filter(user__username=username).exists()


@pytest.mark.parametrize("who", ["niort", "gestionnaire"])
def test_the_referent_or_a_manager_adds_a_member_who_then_sees_the_dossiers(api, who):
    dossier = dossier_at("draft")
    response = add_member(api, who, collectivity_of("niort"), "vertou", "contributor")
    assert response.status_code == 201, response.data
    assert response.data == {"username": "vertou", "role": "contributor"}
    # one person may belong to several collectivities
    assert sorted(listed(api, "vertou")) == ["Niort", "Vertou"]
    assert as_(api, "vertou").get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["contributor", "viewer"])
def test_it_refuses_a_member_who_is_not_the_referent(api, who, request):
    response = add_member(api, request.getfixturevalue(who), collectivity_of("niort"))
    assert_no_membership(response, 403)


@pytest.mark.parametrize("who", ["lille", "stranger", "auditeur"])
def test_it_hides_the_collectivity_from_outsiders(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    assert_no_membership(add_member(api, who, collectivity_of("niort")), 404)


def test_adding_a_member_requires_authentication(api):
    niort = collectivity_of("niort")
    response = anonymous(api).post(
        f"/api/v1/collectivities/{niort.pk}/members/", {"username": "auditeur2", "role": "viewer"}
    )
    assert_no_membership(response, 401)


@pytest.mark.parametrize(
    ("username", "role"), [("auditeur2", "mayor"), ("personne", "viewer"), ("", "viewer")]
)
def test_it_refuses_an_unknown_user_or_role(api, username, role):
    response = add_member(api, "niort", collectivity_of("niort"), username, role)
    assert_no_membership(response, 400, username)
