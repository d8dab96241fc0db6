"""`collectivity_create` and `member_add`: managers register collectivities, whose fields are
validated; managers and the collectivity's referents add members, who then see its
dossiers. One person may belong to several collectivities."""

import pytest

from certification import roles
from certification.errors import InvalidInput, NotAllowed
from certification.models import Collectivity, Membership
from certification.services.dossiers import collectivity_create, member_add
from tests import factories as f

pytestmark = pytest.mark.django_db

VALID = {
    "name": "La Rochelle", "kind": "commune", "siren": f.valid_siren(4242), "insee_code": "17300",
    "population": 77000, "department": "Charente-Maritime", "region": "Nouvelle-Aquitaine",
}  # fmt: skip


def wrong_checksum(siren: str) -> str:
    return siren[:-1] + str((int(siren[-1]) + 1) % 10)


def test_a_manager_registers_a_collectivity():
    collectivity = collectivity_create(by=f.manager(), **VALID)
    assert Collectivity.objects.get(siren=VALID["siren"]) == collectivity


@pytest.mark.parametrize("who", ["referent", "auditor", "committee"])
def test_only_a_manager_registers_a_collectivity(who):
    by = {"referent": lambda: f.member(f.CollectivityFactory()), "auditor": f.auditor,
          "committee": f.committee_member}[who]()  # fmt: skip
    with pytest.raises(NotAllowed):
        collectivity_create(by=by, **VALID)
    assert not Collectivity.objects.filter(siren=VALID["siren"]).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("siren", wrong_checksum(VALID["siren"])),
        ("siren", "21790191"),  # 8 digits
        ("siren", "2179O1917"),  # a letter O
        ("siren", "taken"),  # another collectivity's
        ("insee_code", "7919"),
        ("kind", "canton"),
        ("population", -5),
        ("name", ""),
    ],
)
def test_it_refuses_an_invalid_field_and_names_it(field, value):
    if value == "taken":
        value = f.CollectivityFactory().siren
    count = Collectivity.objects.count()
    with pytest.raises(InvalidInput) as caught:
        collectivity_create(by=f.manager(), **{**VALID, field: value})
    assert set(caught.value.extra["errors"]) == {field}
    assert Collectivity.objects.count() == count


# -- Members --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["referent", "manager"])
def test_the_referent_or_a_manager_adds_a_member_who_then_sees_the_dossiers(who):
    dossier = f.DossierFactory(state="draft")
    newcomer = f.member(f.CollectivityFactory())  # already the referent of another one

    member_add(collectivity=dossier.collectivity, username=newcomer.username,
               role="contributor", by=f.someone(dossier, who))  # fmt: skip

    assert set(newcomer.memberships.values_list("role", flat=True)) == {"referent", "contributor"}
    assert roles.can_view(newcomer, dossier)
    assert roles.has(newcomer, roles.EDIT, dossier)


def test_adding_a_member_again_changes_their_role():
    dossier = f.DossierFactory(state="draft")
    member = f.member(dossier.collectivity, "contributor")

    member_add(collectivity=dossier.collectivity, username=member.username, role="viewer",
               by=dossier.cast.referent)  # fmt: skip

    assert Membership.objects.get(user=member).role == "viewer"
    assert not roles.has(member, roles.EDIT, dossier)


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_a_member_who_is_not_the_referent_adds_no_one(role):
    collectivity = f.CollectivityFactory()
    with pytest.raises(NotAllowed):
        member_add(collectivity=collectivity, username=f.UserFactory().username,
                   role="viewer", by=f.member(collectivity, role))  # fmt: skip


@pytest.mark.parametrize(("username", "role"), [("someone", "mayor"), ("personne", "viewer")])
def test_it_refuses_an_unknown_user_or_role(username, role):
    collectivity = f.CollectivityFactory()
    f.UserFactory(username="someone")
    with pytest.raises(InvalidInput):
        member_add(collectivity=collectivity, username=username, role=role,
                   by=f.member(collectivity))  # fmt: skip
    assert not Membership.objects.filter(user__username=username).exists()
