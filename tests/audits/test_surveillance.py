"""Surveillance audits of a valid label: due at the scheme's rhythm, opened once by the
scheduler, assigned by a manager, run by their auditor on the surveyed criteria and the open
minor findings, concluded by keeping the label or recommending its suspension."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from audits import services as audit_services
from audits import surveillance as s
from audits.models import Finding, Surveillance
from audits.tasks import open_due_surveillances
from certification import roles
from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.models import Award, Criterion
from certification.services.transitions import perform_transition
from tests import factories as f
from tests.api.calls import as_

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def awarded_with_a_minor_finding():
    """A label awarded with A-1 surveyed and a minor finding open on A-2, started 13 months
    ago: its first surveillance (at 12 months of 36) is due."""
    dossier = f.DossierFactory(state="under_review")
    people = dossier.cast
    Criterion.objects.filter(referential=dossier.referential, code="A-1").update(surveyed=True)
    for code, rating, points in [("A-1", "conform", 100), ("A-2", "minor_nc", 50)]:
        audit_services.assessment_record(dossier=dossier, criterion_code=code, rating=rating,
                                         points=points, comment="", by=people.auditor)  # fmt: skip
    for name, by, data in [
        ("issue_report", people.auditor, {"recommendation": "award"}),
        ("refer_to_committee", people.manager, {}),
        ("award", people.committee, {}),
    ]:
        dossier = perform_transition(dossier=dossier, name=name, by=by, data=data)
    start = timezone.localdate() - relativedelta(months=13)
    Award.objects.filter(dossier=dossier).update(
        valid_from=start, valid_until=start + relativedelta(months=36)
    )
    dossier.cast = people
    return dossier


def test_it_is_due_at_the_schemes_rhythm():
    award = Award.objects.get(dossier=awarded_with_a_minor_finding())
    start = award.valid_from
    assert s.due_dates(award) == [start + relativedelta(months=12),
                                  start + relativedelta(months=24)]  # fmt: skip


def test_the_beat_task_opens_a_due_surveillance_exactly_once():
    dossier = awarded_with_a_minor_finding()
    assert open_due_surveillances() == 1
    assert open_due_surveillances() == 0
    [found] = Surveillance.objects.filter(dossier=dossier)
    assert (found.state, found.auditor) == ("open", None)


def test_nothing_is_due_for_a_revoked_label_or_before_its_date():
    dossier = awarded_with_a_minor_finding()
    assert s.open_due(today=timezone.localdate() - timedelta(days=40)) == 0
    Award.objects.filter(dossier=dossier).update(status="revoked")
    assert s.open_due() == 0


@pytest.fixture
def opened():
    dossier = awarded_with_a_minor_finding()
    s.open_due()
    found = Surveillance.objects.get(dossier=dossier)
    found.people = dossier.cast
    return found


def test_a_manager_assigns_it_and_the_auditor_then_sees_the_dossier(opened):
    auditor = f.auditor()
    assert not roles.can_view(auditor, opened.dossier)
    found = s.surveillance_assign(surveillance=opened, auditor_username=auditor.username,
                                  by=opened.people.manager)  # fmt: skip
    assert (found.state, found.auditor) == ("assigned", auditor)
    opened.dossier.__dict__.pop("_object_perms", None)
    assert roles.can_view(auditor, opened.dossier)


@pytest.mark.parametrize(("who", "error"), [
    ("referent", NotAllowed), ("auditor", NotAllowed), ("committee", NotAllowed),
])  # fmt: skip
def test_only_managers_assign(opened, who, error):
    with pytest.raises(error):
        s.surveillance_assign(surveillance=opened, auditor_username=f.auditor().username,
                              by=getattr(opened.people, who))  # fmt: skip


def test_it_refuses_a_non_auditor_or_a_member_of_the_collectivity(opened):
    manager = opened.people.manager
    with pytest.raises(InvalidInput, match="is not an auditor"):
        s.surveillance_assign(surveillance=opened, auditor_username=opened.people.referent.username,
                              by=manager)  # fmt: skip
    member = f.auditor()
    f.models.Membership.objects.create(user=member, collectivity=opened.dossier.collectivity,
                                       role="viewer")  # fmt: skip
    with pytest.raises(InvalidInput, match="own collectivity"):
        s.surveillance_assign(surveillance=opened, auditor_username=member.username, by=manager)


@pytest.fixture
def running(opened):
    auditor = f.auditor()
    found = s.surveillance_assign(surveillance=opened, auditor_username=auditor.username,
                                  by=opened.people.manager)  # fmt: skip
    found.people = opened.people
    return found


def test_it_checks_the_surveyed_criteria_and_the_open_minor_findings(running):
    items = s.surveillance_items(running)
    assert [(i["criterion"].code, bool(i["finding"])) for i in items] == [
        ("A-1", False), ("A-2", True),
    ]  # fmt: skip


def test_only_its_auditor_checks_and_only_what_it_covers(running):
    with pytest.raises(NotAllowed):
        s.surveillance_check(surveillance=running, by=running.people.auditor,
                             criterion_code="A-1", result="conform")  # fmt: skip
    with pytest.raises(InvalidInput, match="not checked in this surveillance"):
        s.surveillance_check(surveillance=running, by=running.auditor, criterion_code="A-3",
                             result="conform")  # fmt: skip


def check_all(running, results):
    for code, result in results.items():
        s.surveillance_check(surveillance=running, by=running.auditor, criterion_code=code,
                             result=result)  # fmt: skip


def test_keeping_the_label_closes_the_minor_findings_found_conform(running):
    with pytest.raises(Conflict, match="Not checked yet: A-1, A-2"):
        s.surveillance_conclude(surveillance=running, by=running.auditor, outcome="keep",
                                conclusion="")  # fmt: skip
    check_all(running, {"A-1": "conform", "A-2": "conform"})

    found = s.surveillance_conclude(surveillance=running, by=running.auditor, outcome="keep",
                                    conclusion="RAS.")  # fmt: skip

    assert (found.state, found.outcome) == ("concluded", "keep")
    assert running.dossier.findings.get().status == Finding.Status.CLOSED
    with pytest.raises(Conflict):
        s.surveillance_check(surveillance=found, by=running.auditor, criterion_code="A-1",
                             result="conform")  # fmt: skip


def test_a_major_nonconformity_leads_to_suspension_through_the_lifecycle(running, client):
    check_all(running, {"A-1": "major_nc", "A-2": "minor_nc"})
    with pytest.raises(Conflict, match="recommend the suspension"):
        s.surveillance_conclude(surveillance=running, by=running.auditor, outcome="keep",
                                conclusion="")  # fmt: skip
    with pytest.raises(InvalidInput, match="Say why"):
        s.surveillance_conclude(surveillance=running, by=running.auditor, outcome="suspend",
                                conclusion=" ")  # fmt: skip
    s.surveillance_conclude(surveillance=running, by=running.auditor, outcome="suspend",
                            conclusion="La stratégie n'est plus suivie.")  # fmt: skip
    assert running.dossier.findings.get().status == Finding.Status.OPEN

    perform_transition(dossier=running.dossier, name="suspend", by=running.people.manager,
                       comment="Surveillance : écart majeur.")  # fmt: skip
    award = Award.objects.get(dossier=running.dossier)
    assert award.status == "suspended"
    assert "authentic but suspended" in client.get(
        f"/verify/{award.verification_code}/").content.decode()  # fmt: skip


# -- API and page ---------------------------------------------------------------------------


def test_the_api_runs_it_and_refuses_others(api, running):
    url = f"/api/v1/surveillances/{running.pk}/"
    auditor = as_(api, running.auditor)
    detail = auditor.get(url).data
    assert [i["criterion"] for i in detail["items"]] == ["A-1", "A-2"]
    response = auditor.post(f"{url}checks/", {"criterion": "A-1", "result": "conform"},
                            format="json")  # fmt: skip
    assert response.status_code == 201
    assert auditor.post(f"{url}checks/", {"criterion": "A-2", "result": "nope"},
                        format="json").status_code == 400  # fmt: skip
    response = auditor.post(f"{url}conclude/", {"outcome": "keep"}, format="json")
    assert response.status_code == 409 and "A-2" in response.data["detail"]
    assert as_(api, running.people.referent).post(
        f"{url}conclude/", {"outcome": "keep"}, format="json").status_code == 403  # fmt: skip
    assert as_(api, f.UserFactory()).get(url).status_code == 404
    listed = as_(api, running.people.referent).get(
        f"/api/v1/dossiers/{running.dossier_id}/surveillances/").data  # fmt: skip
    assert [(x["state"], x["due_date"]) for x in listed] == [
        ("assigned", running.due_date.isoformat())
    ]


def test_the_page_shows_the_checks_to_its_auditor_and_the_assignment_to_managers(client, running):
    url = f"/dossiers/{running.dossier_id}/"
    client.force_login(running.auditor)
    page = client.get(url).content.decode()
    assert f'action="/surveillances/{running.pk}/checks/"' in page
    check = {"criterion": "A-1", "result": "conform", "comment": "Suivie."}
    response = client.post(f"/surveillances/{running.pk}/checks/", check)
    assert response.status_code == 302
    client.force_login(running.people.manager)
    page = client.get(url).content.decode()
    assert f'action="/surveillances/{running.pk}/assign/"' in page
    assert f'action="/surveillances/{running.pk}/checks/"' not in page
    client.force_login(running.people.referent)
    page = client.get(url).content.decode()
    assert "Surveillance audits" in page and "/assign/" not in page
