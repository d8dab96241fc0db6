"""An auditor's dashboard sorts their assignments by what awaits them (to declare, to start,
to assess, the report to issue, waiting on the collectivity), counts their workload and
points to their overdue requests; its cost does not grow with their assignments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits import services as audit_services
from tests import factories as f

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def assigned(auditor, manager, *, declare: bool):
    dossier = f.DossierFactory(state="admissible", manager=manager)
    assignment = audit_services.assignment_create(
        dossier=dossier, auditor_username=auditor.username, role="lead", by=manager
    )
    if declare:
        audit_services.assignment_declare(
            assignment=assignment, by=auditor, has_conflict=False, details=""
        )
    return dossier


def group(page: str, key: str) -> str:
    start = page.index(f'data-group="{key}"')
    return page[start : page.index("</ul>", start)]


@pytest.fixture
def work():
    auditor, manager = f.auditor(first_name="Alice", last_name="Martin"), f.manager()
    under_review = f.DossierFactory(state="under_review", auditor=auditor, manager=manager)
    assessed = f.DossierFactory(state="under_review", auditor=auditor, manager=manager)
    for code in ("A-1", "A-2"):
        audit_services.assessment_record(dossier=assessed, criterion_code=code, rating="conform",
                                         points=100, comment="", by=auditor)  # fmt: skip
    asked = f.DossierFactory(state="information_requested", auditor=auditor, manager=manager)
    asked.information_requests.update(due_date="2020-01-31")
    return auditor, {
        "to_declare": assigned(auditor, manager, declare=False),
        "to_start": assigned(auditor, manager, declare=True),
        "to_assess": under_review,
        "to_report": assessed,
        "waiting": asked,
    }


def test_it_sorts_the_assignments_by_what_awaits_the_auditor(sign_in, work):
    auditor, dossiers = work
    page = sign_in(auditor).get("/").content.decode()
    pending = dossiers["to_declare"].assignments.get(auditor=auditor)
    assert f'action="/assignments/{pending.pk}/declare/"' in page
    for key in ("to_start", "to_assess", "to_report", "waiting"):
        assert f'href="/dossiers/{dossiers[key].pk}/"' in group(page, key), key
    assert "0/2 assessed" in group(page, "to_assess")
    assert "2/2 assessed" in group(page, "to_report")


def test_it_shows_the_workload_and_the_overdue_requests(sign_in, work):
    auditor, _dossiers = work
    page = sign_in(auditor).get("/").content.decode()
    assert "Workload: 5 current assignments" in page
    assert '<a href="#requests-title">1 overdue request</a>' in page


def test_an_ended_assignment_leaves_the_dashboard(sign_in, work):
    auditor, dossiers = work
    assignment = dossiers["to_start"].assignments.get(auditor=auditor)
    audit_services.assignment_end(assignment=assignment, by=dossiers["to_start"].cast.manager)
    page = sign_in(auditor).get("/").content.decode()
    assert 'data-group="to_start"' not in page
    assert "Workload: 4 current assignments" in page


def test_another_auditor_sees_none_of_it(sign_in, work):
    _auditor, dossiers = work
    page = sign_in(f.auditor()).get("/").content.decode()
    assert "Workload: 0 current assignments" in page
    for dossier in dossiers.values():
        assert f"/dossiers/{dossier.pk}/" not in page


def test_the_dashboard_does_not_grow_with_the_assignments(sign_in):
    """Pinned in tests/web/test_query_counts.py; here: 2 and 6 assignments cost the same."""
    auditor, manager = f.auditor(), f.manager()
    for _ in range(2):
        assigned(auditor, manager, declare=True)
    client = sign_in(auditor)
    client.get("/")
    before, page = count_queries(client, "/")
    assert "Workload: 2 current" in page
    for _ in range(4):
        assigned(auditor, manager, declare=True)
    after, page = count_queries(client, "/")
    assert "Workload: 6 current" in page
    assert after == before
