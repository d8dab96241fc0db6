"""The public pages: certificate verification and the registry, open to anyone."""

from datetime import date

import pytest
from django.core.cache import cache

from certification.models import Award, Collectivity
from certification.services.decisions import award_create
from certification.services.transitions import perform_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


def awarded(status=Award.Status.ACTIVE, name="Niort"):
    dossier = f.DossierFactory(collectivity=f.CollectivityFactory(name=name))
    award = award_create(
        dossier=dossier, level=dossier.referential.levels.first(), today=date(2026, 3, 1)
    )
    Award.objects.filter(pk=award.pk).update(status=status)
    return award


def test_it_verifies_an_active_certificate_for_anyone(client):
    award = awarded()
    response = client.get(f"/verify/{award.verification_code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert award.certificate_number in page and "Niort" in page
    assert "is authentic and active" in page


def test_it_says_a_revoked_certificate_is_no_longer_active(client):
    award = awarded(Award.Status.REVOKED)
    page = client.get(f"/verify/{award.verification_code}/").content.decode()
    assert "no longer active" in page


def test_it_answers_404_for_an_unknown_code(client):
    assert client.get("/verify/not-a-code/").status_code == 404


def test_it_lists_active_certificates_in_the_public_registry(client):
    active, revoked = awarded(name="Niort"), awarded(Award.Status.REVOKED, name="Vertou")
    page = client.get("/registry/").content.decode()
    assert active.certificate_number in page
    assert revoked.certificate_number not in page
    assert f'href="/verify/{active.verification_code}/"' in page
    assert f"<td>{active.valid_until:%m/%d/%Y}</td>" in page  # the short date, in English
    french = client.get("/registry/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"<td>{active.valid_until:%d/%m/%Y}</td>" in french


def test_it_paginates_the_registry_by_25(client):
    for n in range(26):
        awarded(name=f"Commune {n}")
    assert len(client.get("/registry/").context["page"]) == 25
    assert len(client.get("/registry/?page=2").context["page"]) == 1


def test_the_registry_lists_suspended_certificates_with_their_status(client):
    suspended = awarded(Award.Status.SUSPENDED, name="Lille")
    expired = awarded(Award.Status.EXPIRED, name="Vertou")
    page = client.get("/registry/").content.decode()
    assert suspended.certificate_number in page and "Suspended" in page
    assert expired.certificate_number not in page


def test_the_registry_searches_by_name_and_filters_by_place_scheme_and_level(client):
    niort, lille = awarded(name="Niort"), awarded(name="Lille Métropole")
    Collectivity.objects.filter(pk=niort.dossier.collectivity_id).update(
        department="Deux-Sèvres", region="Nouvelle-Aquitaine"
    )

    def listed(query):
        response = client.get("/registry/", query)
        return {award.pk for award in response.context["page"]}

    assert listed({"search": "lille"}) == {lille.pk}
    assert listed({"department": "deux-sèvres"}) == {niort.pk}
    assert listed({"region": "Nouvelle-Aquitaine"}) == {niort.pk}
    assert listed({"scheme": niort.dossier.campaign.scheme.code}) == {niort.pk}
    assert listed({"level": niort.level.code}) == {niort.pk, lille.pk}
    assert listed({"level": "platine"}) == set()
    page = client.get("/registry/", {"search": "Paris"}).content.decode()
    assert "No certificate matches this search." in page
    assert client.get("/registry/", {"scheme": "unknown"}).status_code == 400


def test_the_verification_box_finds_any_certificate_by_its_number(client):
    revoked = awarded(Award.Status.REVOKED)
    response = client.get("/verify/", {"number": f" {revoked.certificate_number} "})
    assert response.status_code == 200
    assert "no longer active (Revoked)" in response.content.decode()
    assert 'name="number"' in client.get("/verify/").content.decode()


def test_an_unknown_number_is_said_not_to_be_in_the_registry_in_the_users_language(client):
    response = client.get("/verify/", {"number": "LPP-1999-000001"})
    assert response.status_code == 404
    assert "This certificate is not in our registry." in response.content.decode()
    response = client.get("/verify/not-a-code/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert "Ce certificat ne figure pas dans notre registre." in response.content.decode()


@pytest.mark.parametrize(("url", "queries"), [
    ("/registry/?search=commune", 3),  # the schemes offered, the count, the page
    ("/api/v1/registry/?search=commune", 2),  # the same, but no scheme to check: no schemes
])  # fmt: skip
def test_the_registrys_query_count_does_not_grow_with_the_certificates(
    client, django_assert_num_queries, url, queries
):
    awarded(name="Commune 0")
    cache.clear()  # the page's list as written, not as kept
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for n in range(1, 6):
        awarded(name=f"Commune {n}")
    cache.clear()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_schemes_offered_are_read_once_for_every_search(client, django_assert_num_queries):
    scheme = awarded(name="Niort").dossier.campaign.scheme
    assert client.get("/registry/").status_code == 200
    with django_assert_num_queries(2):  # another search's list: its count and its lines
        page = client.get("/registry/", {"search": "nio"}).content.decode()
    assert f'<option value="{scheme.code}">{scheme.name}</option>' in page
    assert "Niort" in page


def test_a_searchs_count_is_kept_for_its_other_pages_until_a_certificate_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for n in range(26):
        awarded(name=f"Commune {n}")
    assert client.get("/api/v1/registry/", {"search": "commune"}).json()["count"] == 26
    with django_assert_num_queries(1):  # the next page's lines: the count is kept
        second = client.get("/api/v1/registry/", {"search": "commune", "page": 2}).json()
    assert (second["count"], len(second["results"])) == (26, 1)
    with django_assert_num_queries(2):  # the page shares it: the schemes offered, the lines
        page = client.get("/registry/", {"search": "commune", "page": 2})
    assert page.context["page"].paginator.count == 26

    with django_capture_on_commit_callbacks(execute=True):
        awarded(name="Commune 26")
    assert client.get("/api/v1/registry/", {"search": "commune"}).json()["count"] == 27


def test_the_registry_list_is_kept_until_a_certificate_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    dossier = f.DossierFactory(state="awarded", collectivity=f.CollectivityFactory(name="Niort"))
    award = Award.objects.get(dossier=dossier)
    first = client.get("/registry/").content.decode()
    with django_assert_num_queries(0):  # kept: no count, no lines, no schemes
        again = client.get("/registry/").content.decode()
    listed = first[first.index('role="search"') :]
    assert again[again.index('role="search"') :] == listed
    assert "Niort" in listed and "Suspended" not in listed

    with django_capture_on_commit_callbacks(execute=True):
        perform_transition(dossier=dossier, name="suspend", by=dossier.cast.manager,
                           comment="Contrôle en cours.")  # fmt: skip
    page = client.get("/registry/").content.decode()
    assert award.certificate_number in page and "Suspended" in page
    searched = client.get("/registry/?search=nio").content.decode()
    assert "Suspended" in searched  # another search, its own list
