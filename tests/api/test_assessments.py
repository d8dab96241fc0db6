"""POST /api/v1/dossiers/{id}/assessments/: the auditors rate each criterion."""

import pytest

from audits import services as audit_services
from audits.models import Assessment, Finding
from tests import factories
from tests.api.journey import anonymous, as_, dossier_at, user

pytestmark = pytest.mark.django_db


def rate(api, who, dossier, criterion="GOV-1", rating="conform", points=100, **extra):
    data = {"criterion": criterion, "rating": rating, "points": points, **extra}
    return as_(api, who).post(f"/api/v1/dossiers/{dossier.pk}/assessments/", data, format="json")


def assert_nothing_assessed(response, status):
    assert response.status_code == status, response.data
    assert response.data["detail"]
    assert not Assessment.objects.exists()
    assert not Finding.objects.exists()


def test_the_lead_auditor_assesses_a_criterion(api):
    dossier = dossier_at("under_review")
    response = rate(api, "auditeur", dossier, points=150, comment="Stratégie suivie.")
    assert response.status_code == 201, response.data
    assert (response.data["criterion"], response.data["points"]) == ("GOV-1", 150)
    assert response.data["assessor"] == "auditeur"


def test_a_co_auditor_assesses_too(api):
    dossier = dossier_at("under_review")
    co = audit_services.assignment_create(
        dossier=dossier, auditor_username="auditeur2", role="co", by=user("gestionnaire")
    )
    audit_services.assignment_declare(
        assignment=co, by=user("auditeur2"), has_conflict=False, details=""
    )
    assert rate(api, "auditeur2", dossier).status_code == 201


def test_it_refuses_an_anonymous_user(api):
    dossier = dossier_at("under_review")
    response = anonymous(api).post(
        f"/api/v1/dossiers/{dossier.pk}/assessments/", {"criterion": "GOV-1"}
    )
    assert_nothing_assessed(response, 401)


@pytest.mark.parametrize("who", ["stranger", "lille", "auditeur2", "comite"])
def test_it_hides_the_dossier_from_those_with_no_part_in_it(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    assert_nothing_assessed(rate(api, who, dossier_at("under_review")), 404)


@pytest.mark.parametrize("who", ["niort", "gestionnaire"])
def test_it_refuses_the_referent_or_a_manager_assessing(api, who):
    assert_nothing_assessed(rate(api, who, dossier_at("under_review")), 403)


def test_it_refuses_an_assessment_outside_the_review(api):
    dossier = dossier_at("information_requested")
    assert_nothing_assessed(rate(api, "auditeur", dossier), 409)


@pytest.mark.parametrize(
    "data",
    [
        {"points": 151},  # GOV-1 is worth 150 at most
        {"points": -1},
        {"points": "beaucoup"},
        {"rating": "excellent"},
        {"criterion": "XXX-9"},
        {"criterion": None},
    ],
)
def test_it_refuses_bad_input(api, data):
    assert_nothing_assessed(rate(api, "auditeur", dossier_at("under_review"), **data), 400)


def test_it_refuses_a_criterion_of_another_referential(api):
    factories.ReferentialFactory(criteria=[("AUT-1", True)])
    response = rate(api, "auditeur", dossier_at("under_review"), criterion="AUT-1")
    assert_nothing_assessed(response, 400)


def test_it_refuses_malformed_json(api):
    dossier = dossier_at("under_review")
    response = as_(api, "auditeur").post(
        f"/api/v1/dossiers/{dossier.pk}/assessments/",
        '{"criterion": "GOV-1", "rating": ',
        content_type="application/json",
    )
    assert_nothing_assessed(response, 400)


def test_a_major_nonconformity_opens_a_major_finding_until_rated_conform(api):
    dossier = dossier_at("under_review")
    rate(api, "auditeur", dossier, rating="minor_nc", points=50, comment="Suivi partiel.")
    finding = Finding.objects.get(dossier=dossier)
    assert (finding.severity, finding.status) == ("minor", "open")
    rate(api, "auditeur", dossier, rating="major_nc", points=0, comment="Aucun suivi.")
    finding.refresh_from_db()
    assert (finding.severity, finding.status, finding.description) == (
        "major",
        "open",
        "Aucun suivi.",
    )
    assert Assessment.objects.filter(dossier=dossier).count() == 1
    rate(api, "auditeur", dossier, rating="conform", points=150)
    finding.refresh_from_db()
    assert finding.status == "closed"
    assert Finding.objects.filter(dossier=dossier).count() == 1
