"""The API's lists and details cost a fixed number of queries: neither the number of
dossiers, nor of documents, nor of log rows changes it (STYLE.md, habit 10)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from documents import services as document_services
from tests import factories
from tests.helpers import pdf
from tests.walk import walk

pytestmark = pytest.mark.django_db

# Signed in with a token (one query), as an API client is, so that nothing is cached on
# the user object between requests.
QUERIES = {
    ("list", "referent"): 4,  # token, the ids the user may see, count, page
    ("list", "manager"): 4,  # token, the manager's global permission (1), count, page
    # + visibility (1), transitions and guards (2), the criteria with their answers and
    # documents (1), the record (1: its outcome, read apart from the dossier, cheaper than
    # one query of fourteen tables, says whether there are findings and information
    # requests to read; see below when there are)
    ("detail", "referent"): 7,
    # A manager's global permission comes with the dossier's permissions (one query).
    ("detail", "manager"): 5,
    ("history", "referent"): 5,
    ("history", "manager"): 5,
    ("documents", "referent"): 5,
    ("documents", "manager"): 5,
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
        self.dossier = factories.DossierFactory(collectivity=self.collectivity, state="draft")
        self.cast = self.dossier.cast
        self.referent, self.manager = self.cast.referent, self.cast.manager
        self.cycle()

    def cycle(self, times: int = 1) -> None:
        """Submitted and returned for completion: two log rows each time, back to a draft."""
        for _ in range(times):
            self.dossier = walk(self.dossier, "submitted", self.cast)
            self.dossier = walk(self.dossier, "draft", self.cast)

    def grow(self) -> None:
        for _ in range(30):
            factories.DossierFactory(collectivity=self.collectivity, created_by=self.referent)
        for _ in range(10):
            factories.DossierFactory(created_by=self.manager)  # other collectivities
        for criterion in self.dossier.referential.criteria.all():
            for n in range(15):
                document_services.document_upload(
                    dossier=self.dossier, criterion_code=criterion.code,
                    upload=pdf(f"{criterion.code}-{n}.pdf"), by=self.referent,
                )  # fmt: skip
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


def test_the_auditors_list_does_not_grow_with_their_assignments(django_assert_num_queries):
    """An auditor sees the dossiers they audit: token, their ids, count, page, whatever their
    number."""
    auditor, manager = factories.auditor(), factories.manager()

    def assigned(n: int) -> None:
        from audits import services as audit_services

        for _ in range(n):
            dossier = factories.DossierFactory(state="admissible", manager=manager)
            assignment = audit_services.assignment_create(
                dossier=dossier, auditor_username=auditor.username, role="lead", by=manager
            )
            audit_services.assignment_declare(  # no conflict: the dossier opens to them
                assignment=assignment, by=auditor, has_conflict=False, details=""
            )

    assigned(26)  # more than a page: the count is asked
    client = client_for(auditor)
    with django_assert_num_queries(4):  # token, the ids the auditor may see, count, page
        small = client.get("/api/v1/dossiers/")
    assigned(10)
    with django_assert_num_queries(4):  # token, the ids the auditor may see, count, page
        large = client.get("/api/v1/dossiers/")
    assert (small.data["count"], large.data["count"], len(large.data["results"])) == (26, 36, 25)


def test_a_user_who_sees_many_dossiers_gets_the_same_list(monkeypatch):
    """Beyond `LISTED_BY_ID_UP_TO` dossiers, the list filters on the permission rows as a
    subquery rather than on the ids: the same dossiers either way."""
    from certification import selectors

    collectivity = factories.CollectivityFactory()
    member = factories.member(collectivity)
    for _ in range(4):
        factories.DossierFactory(collectivity=collectivity)  # four campaigns
    factories.DossierFactory()  # not theirs
    few = list(selectors.dossiers_visible_to(member).order_by("id"))
    monkeypatch.setattr(selectors, "LISTED_BY_ID_UP_TO", 2)
    many = selectors.dossiers_visible_to(member).order_by("id")
    assert "UNION" in str(many.query)  # the subquery, not a list of ids
    assert list(many) == few and len(few) == 4


def test_a_dossiers_findings_and_requests_cost_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    from audits.models import CorrectiveAction, Finding, InformationRequest

    world = World()
    client = client_for(world.manager)
    criteria = list(world.dossier.referential.criteria.all())
    auditor = factories.auditor()

    def add(n: int) -> None:
        for i in range(n):
            finding = Finding.objects.create(
                dossier=world.dossier, criterion=criteria[i % len(criteria)], severity="major",
                description="Écart.", raised_by=auditor,
            )  # fmt: skip
            CorrectiveAction.objects.create(finding=finding, plan="Plan.",
                                            submitted_by=world.referent)  # fmt: skip
            request = InformationRequest.objects.create(
                dossier=world.dossier, question="Pièce ?", due_date="2027-01-31", asked_by=auditor
            )
            request.criteria.set(criteria[:2])

    add(1)
    # The detail's 5, and for the record the findings with their corrective actions (2) and
    # the requests with the criteria they name (2).
    with django_assert_num_queries(9):
        small = client.get(f"/api/v1/dossiers/{world.dossier.pk}/")
    add(5)
    with django_assert_num_queries(9):
        large = client.get(f"/api/v1/dossiers/{world.dossier.pk}/")
    record = small.data["record"], large.data["record"]
    assert [len(r["findings"]) for r in record] == [1, 6]
    assert [len(r["information_requests"]) for r in record] == [1, 6]
