"""The dashboard and the dossier page cost a fixed number of queries: more dossiers,
documents, findings, information requests or history rows do not add any."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

from audits import services as audit_services
from certification.models import Dossier
from certification.services.transitions import perform_transition
from documents import services as document_services
from tests import factories as f
from tests.helpers import pdf

pytestmark = pytest.mark.django_db

# session + user, then the page's own queries (see each test). Each dashboard also lists
# the open information requests (one); the manager's is recognised once per request now
# (it was asked three times through the lazy request.user).
# Dashboards per role (issue 11): each reads the user's groups once (which sections are
# theirs: +1) and the page's next steps, deadlines and completeness in one query over the
# page's ids (+1 when the page lists dossiers); an auditor's assignments come in one query
# with their assessment counts, in place of the undeclared ones (±0). The referent also reads
# the dossiers waiting on their collectivity (+1): 9 -> 11. The manager reads the campaigns
# (for the filter and the open ones' panels), their categories, the counts per state and
# category (one GROUP BY), the three queues (one bounded query) and the auditors with their
# workload for the bulk assignment (+5, and +2 above): 8 -> 14 (a chosen campaign's time per
# state adds one: tests/web/test_dashboards_manager.py). The counts, the queues and the
# workloads grow with the campaigns (30 to 100 ms each at 100,000 dossiers): they are
# remembered a minute (certification.stats.remembered), so a page measured after the warm-up
# reads the groups, the campaigns, their categories and the page's details, and no longer
# the undeclared assignments (+3): 8 -> 11; computed, +3 (and +1 for a chosen campaign's
# time per state: tests/web/test_dashboards_manager.py). The auditor: 6 -> 7.
# Since lists read the user's visible dossier ids first (certification.selectors
# .dossiers_visible_to, one query each time it is built), the referent's page pays it twice:
# once for its lists (the page and the dossiers waiting on them share it) and once inside
# the open requests: 11 -> 13. Managers see every dossier: no ids to read.
DASHBOARD_REFERENT = 13
DASHBOARD_MANAGER = 11
DASHBOARD_AUDITOR = 7
# The dossier page: with findings, one more for their corrective actions; with information
# requests, one more for the criteria they name. The assessing auditor's page also lists the
# referential's criteria in the "request information" form (one) and shows the running score
# (four: chapters, their criteria, the assessments, the levels).
# The workspace groups the criteria by chapter for everyone: the chapters and their criteria
# (two more for the referent, 15 -> 17); the score reuses them and the assessments the page
# already reads (one fewer for the auditor, 22 -> 21). Neither grows with the criteria.
# The report, decision and certificate are read apart from the dossier (one more where the
# page shows them): one query of fourteen tables cost more than two. The criteria come with
# their answers and documents in one query, not three (two fewer): 21 -> 20, 17 -> 16. They
# come with the chapters' criteria (one fewer): 20 -> 19, 16 -> 15. The referential stays a
# query of its own: joined to the dossier, it doubled the time PostgreSQL took to plan it.
# It comes with the chapters instead (one fewer where the page shows the score or the
# report; the referent sees neither here): 19 -> 18. The history table is
# kept per history head once rendered (one fewer when the page is seen again, until the next
# transition): the counts here are those of a first view since the last transition.
DOSSIER_PAGE_AUDITOR = 18
DOSSIER_PAGE_REFERENT = 15


def get(client, url):
    """The page; call it once before measuring, to warm the process-wide content-type cache
    (otherwise the count would depend on which test ran before)."""
    response = client.get(url)
    assert response.status_code == 200
    return response


def forget_history(dossier):
    """As if the dossier page were first seen since the last transition: its history table
    not kept from an earlier view."""
    head = Dossier.objects.values_list("history_head", flat=True).get(pk=dossier.pk)
    for language, _name in settings.LANGUAGES:
        cache.delete(make_template_fragment_key("dossier_history", [dossier.pk, head, language]))


def more_dossiers(collectivity, n):
    for _ in range(n):
        f.DossierFactory(collectivity=collectivity)


def test_the_dashboard_of_a_referent_does_not_grow_with_their_dossiers(
    sign_in, django_assert_num_queries
):
    collectivity = f.CollectivityFactory()
    client = sign_in(f.member(collectivity))
    more_dossiers(collectivity, 2)
    get(client, "/")
    with django_assert_num_queries(DASHBOARD_REFERENT):
        get(client, "/")
    more_dossiers(collectivity, 30)
    f.CampaignFactory()  # one more open campaign to offer
    with django_assert_num_queries(DASHBOARD_REFERENT):
        assert len(get(client, "/").context["page"]) == 25


def test_the_dashboard_of_a_manager_does_not_grow_with_the_dossiers(
    sign_in, django_assert_num_queries
):
    client = sign_in(f.manager())
    more_dossiers(f.CollectivityFactory(), 2)
    get(client, "/?state=draft")
    with django_assert_num_queries(DASHBOARD_MANAGER):
        get(client, "/?state=draft")
    more_dossiers(f.CollectivityFactory(), 30)
    get(client, "/?state=draft")  # 30 new campaigns: their figures computed once, remembered
    with django_assert_num_queries(DASHBOARD_MANAGER):
        get(client, "/?state=draft")


def test_the_dashboard_of_an_auditor_does_not_grow_with_their_assignments(
    sign_in, django_assert_num_queries
):
    auditor, manager = f.auditor(), f.manager()

    def assigned():
        dossier = f.DossierFactory(state="admissible", manager=manager)
        audit_services.assignment_create(
            dossier=dossier, auditor_username=auditor.username, role="lead", by=manager
        )

    assigned()
    client = sign_in(auditor)
    get(client, "/")
    with django_assert_num_queries(DASHBOARD_AUDITOR):
        get(client, "/")
    for _ in range(3):
        assigned()
    with django_assert_num_queries(DASHBOARD_AUDITOR):
        assert get(client, "/").content.decode().count("/declare/") == 4


@pytest.fixture
def reviewed():
    """A dossier under review, and a way to give it one more of everything the page lists:
    a question naming two criteria and its answer (two history rows), a new version of each
    criterion's file and a finding."""
    referential = f.ReferentialFactory(criteria=[("A-1", True), ("A-2", False), ("A-3", False)])
    dossier = f.DossierFactory(
        campaign=f.CampaignFactory(referential=referential), state="under_review"
    )
    referent, auditor = dossier.cast.referent, dossier.cast.auditor
    findings = iter(["A-1", "A-2"])  # A-3 stays unassessed: the same actions stay available

    def one_more_round():
        nonlocal dossier
        dossier = perform_transition(
            dossier=dossier,
            name="request_information",
            by=auditor,
            data={"question": "?", "criteria": ["A-1", "A-2"]},
        )
        for code in ("A-1", "A-2"):
            document = document_services.document_upload(
                dossier=dossier, criterion_code=code, upload=pdf(), by=referent
            )
            document_services.document_scan(document=document)  # the worker's part
        dossier = perform_transition(
            dossier=dossier, name="provide_information", by=referent, data={"answer": "!"}
        )
        audit_services.assessment_record(
            dossier=dossier, criterion_code=next(findings), rating="major_nc", points=0,
            comment="", by=auditor,
        )  # fmt: skip

    one_more_round()
    return dossier, referent, auditor, one_more_round


def test_the_dossier_page_does_not_grow_with_documents_findings_or_history(
    sign_in, django_assert_num_queries, reviewed
):
    dossier, referent, auditor, one_more_round = reviewed
    url = f"/dossiers/{dossier.pk}/"
    as_auditor = sign_in(auditor)
    get(as_auditor, url)
    forget_history(dossier)
    with django_assert_num_queries(DOSSIER_PAGE_AUDITOR):
        get(as_auditor, url)
    as_referent = sign_in(referent)
    forget_history(dossier)
    with django_assert_num_queries(DOSSIER_PAGE_REFERENT):
        get(as_referent, url)

    one_more_round()
    assert dossier.history.count() == 7 and dossier.documents.count() == 5
    as_auditor = sign_in(auditor)
    forget_history(dossier)
    with django_assert_num_queries(DOSSIER_PAGE_AUDITOR):
        page = get(as_auditor, url).content.decode()
    assert page.count('href="/documents/') == 5
    as_referent = sign_in(referent)
    forget_history(dossier)
    with django_assert_num_queries(DOSSIER_PAGE_REFERENT):
        get(as_referent, url)


def test_the_history_table_is_kept_until_the_next_transition(
    sign_in, django_assert_num_queries, reviewed
):
    dossier, referent, auditor, one_more_round = reviewed
    url = f"/dossiers/{dossier.pk}/"
    as_auditor = sign_in(auditor)
    forget_history(dossier)
    first = get(as_auditor, url).content.decode()
    with django_assert_num_queries(DOSSIER_PAGE_AUDITOR - 1):  # no history read
        again = get(as_auditor, url).content.decode()
    table = again[again.index('id="history-title"') :]
    assert table == first[first.index('id="history-title"') :]

    one_more_round()  # transitions: a new head, a new table
    page = get(sign_in(referent), url).content.decode()
    rows = page[page.index('id="history-title"') :].count("<tr>") - 1  # the header's
    assert rows == dossier.history.count() == 7


@pytest.mark.parametrize("who", ["referent", "auditor", "manager"])
def test_the_dashboards_do_not_grow_with_the_open_requests(sign_in, who, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier = f.DossierFactory(state="information_requested")
    client = sign_in(getattr(dossier.cast, who))
    get(client, "/")
    with CaptureQueriesContext(connection) as first:
        get(client, "/")
    count = len(first)
    for _ in range(3):  # more questions, on the same collectivity's dossiers, the same auditor's
        f.DossierFactory(state="information_requested", collectivity=dossier.collectivity,
                         auditor=dossier.cast.auditor, manager=dossier.cast.manager)  # fmt: skip
    get(client, "/")  # their new campaigns: a manager's figures computed once, remembered
    with django_assert_num_queries(count):
        page = get(client, "/").content.decode()
    assert page.count('class="requests"') == 1
    assert page[page.index('class="requests"') :].count("<li>") >= 4
