"""POST /api/v1/dossiers/{id}/assessments/: the auditors rate each criterion. Who reaches it
and the shape of its answers; the rules and the findings: tests/audits/test_assessments.py."""

import pytest

from audits import services as audit_services
from audits.models import Assessment, Finding
from tests.api.calls import anonymous, as_
from tests.demo import dossier_at, user

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
        {"points": "beaucoup"},
        {"rating": "excellent"},
        {"criterion": None},
    ],
)
def test_it_refuses_bad_input(api, data):
    assert_nothing_assessed(rate(api, "auditeur", dossier_at("under_review"), **data), 400)


def test_it_refuses_malformed_json(api):
    dossier = dossier_at("under_review")
    response = as_(api, "auditeur").post(
        f"/api/v1/dossiers/{dossier.pk}/assessments/",
        '{"criterion": "GOV-1", "rating": ',
        content_type="application/json",
    )
    assert_nothing_assessed(response, 400)
