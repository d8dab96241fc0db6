"""The API's lists and details cost a fixed number of queries: neither the number of
dossiers, nor of documents, nor of log rows changes it (STYLE.md, habit 10)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from certification.services.transitions import perform_transition
from tests import factories

from .conftest import answer_everything

pytestmark = pytest.mark.django_db

# Signed in with a token (one query), as an API client is, so that nothing is cached on
# the user object between requests.
QUERIES = {
    ("list", "referent"): 3,  # token, count, page (guardian's filter is a subquery)
    ("list", "manager"): 5,  # token, the manager's global permissions (2), count, page
    ("detail", "referent"): 9,  # + visibility (1), transitions and guards, the record (2)
    ("detail", "manager"): 10,  # + its global permissions (2), not a collectivity's
    ("history", "referent"): 5,
    ("history", "manager"): 6,
    ("documents", "referent"): 5,
    ("documents", "manager"): 6,
}
URLS = {
    "list": "/api/v1/dossiers/",
    "detail": "/api/v1/dossiers/{pk}/",
    "history": "/api/v1/dossiers/{pk}/history/",
    "documents": "/api/v1/dossiers/{pk}/documents/",
}


class World:
    """A referent's collectivity with one dossier at the centre, and a manager."""

    def __init__(self):
        self.collectivity = factories.CollectivityFactory()
        self.referent = factories.member(self.collectivity, "referent")
        self.manager = factories.manager()
        self.dossier = factories.DossierFactory(collectivity=self.collectivity)
        answer_everything(self.dossier, self.referent)
        self.cycle()

    def cycle(self, times: int = 1) -> None:
        """Submit and return for completion: two log rows each time, back to draft."""
        for _ in range(times):
            perform_transition(dossier=self.dossier, name="submit", by=self.referent)
            perform_transition(
                dossier=self.dossier, name="return_for_completion", by=self.manager, comment="…"
            )

    def grow(self) -> None:
        for _ in range(30):
            factories.DossierFactory(collectivity=self.collectivity, created_by=self.referent)
        for _ in range(10):
            factories.DossierFactory(created_by=self.manager)  # other collectivities
        answer_everything(self.dossier, self.referent, documents_per_criterion=15)
        self.cycle(15)


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.get("/api/v1/dossiers/")  # warm the process-wide caches (content types)
    return client


@pytest.mark.parametrize("endpoint,role", list(QUERIES))
def test_the_query_count_does_not_grow_with_the_data(endpoint, role, django_assert_num_queries):
    world = World()
    client = client_for(getattr(world, role))
    url = URLS[endpoint].format(pk=world.dossier.pk)
    expected = QUERIES[endpoint, role]

    with django_assert_num_queries(expected):
        small = client.get(url)
    world.grow()
    with django_assert_num_queries(expected):
        large = client.get(url)

    assert small.status_code == large.status_code == 200
    if endpoint != "detail":
        assert large.data["count"] > small.data["count"]
        assert len(large.data["results"]) == 25  # a full page
