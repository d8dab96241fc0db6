"""POST /api/v1/dossiers/{id}/assignments/, GET /api/v1/assignments/ and
POST /api/v1/assignments/{id}/declare/: auditors and their conflict-of-interest declaration.
Who reaches them and the shape of their answers; the rules: tests/audits/test_assignments.py."""

import pytest

from audits.models import Assignment
from tests.api.calls import anonymous, as_
from tests.demo import dossier_at, user

pytestmark = pytest.mark.django_db


def assign(api, who, dossier, auditor="auditeur", role="lead"):
    return as_(api, who).post(
        f"/api/v1/dossiers/{dossier.pk}/assignments/",
        {"auditor": auditor, "role": role},
        format="json",
    )


def declare(api, who, assignment_id, **data):
    return as_(api, who).post(f"/api/v1/assignments/{assignment_id}/declare/", data, format="json")


def assert_not_assigned(response, status, count=0):
    assert response.status_code == status, response.data
    assert response.data["detail"]
    assert Assignment.objects.count() == count


# -- Assigning ------------------------------------------------------------------------------


def test_a_manager_assigns_a_lead_and_a_co_auditor(api):
    dossier = dossier_at("admissible")
    response = assign(api, "gestionnaire", dossier)
    assert response.status_code == 201, response.data
    assert (response.data["auditor"], response.data["role"]) == ("auditeur", "lead")
    assert response.data["declared_at"] is None
    assert assign(api, "gestionnaire", dossier, "auditeur2", "co").status_code == 201


def test_it_refuses_an_anonymous_user(api):
    dossier = dossier_at("admissible")
    response = anonymous(api).post(
        f"/api/v1/dossiers/{dossier.pk}/assignments/", {"auditor": "auditeur"}
    )
    assert_not_assigned(response, 401)


@pytest.mark.parametrize("who", ["niort", "contributor"])
def test_it_refuses_the_collectivity_assigning_its_auditor(api, who, request):
    who = request.getfixturevalue(who) if who == "contributor" else who
    assert_not_assigned(assign(api, who, dossier_at("admissible")), 403)


@pytest.mark.parametrize("who", ["stranger", "lille", "auditeur", "comite"])
def test_it_hides_the_dossier_from_those_with_no_part_in_it(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    assert_not_assigned(assign(api, who, dossier_at("admissible")), 404)


def test_it_refuses_an_assignment_before_the_dossier_is_admissible(api):
    assert_not_assigned(assign(api, "gestionnaire", dossier_at("submitted")), 409)


@pytest.mark.parametrize(
    "data",
    [
        {"auditor": "comite", "role": "lead"},  # not an auditor
        {"role": "lead"},
    ],
)
def test_it_refuses_bad_input(api, data):
    dossier = dossier_at("admissible")
    response = as_(api, "gestionnaire").post(
        f"/api/v1/dossiers/{dossier.pk}/assignments/", data, format="json"
    )
    assert_not_assigned(response, 400)


def test_it_refuses_a_second_lead_with_409(api):
    dossier = dossier_at("admissible")
    assign(api, "gestionnaire", dossier)
    assert_not_assigned(assign(api, "gestionnaire", dossier, "auditeur2", "lead"), 409, count=1)


# -- Declaring conflicts of interest ---------------------------------------------------------


def assigned(api, auditor="auditeur", role="lead"):
    dossier = dossier_at("admissible")
    return dossier, assign(api, "gestionnaire", dossier, auditor, role).data["id"]


def test_an_auditor_lists_only_their_assignments(api):
    _, mine = assigned(api)
    response = as_(api, "auditeur").get("/api/v1/assignments/")
    assert [a["id"] for a in response.data["results"]] == [mine]
    assert as_(api, "auditeur2").get("/api/v1/assignments/").data["results"] == []


def test_declaring_no_conflict_opens_the_dossier_to_the_auditor(api):
    dossier, pk = assigned(api)
    assert as_(api, "auditeur").get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 404
    response = declare(api, "auditeur", pk, has_conflict=False)
    assert response.status_code == 200, response.data
    assert response.data["has_conflict"] is False and response.data["declared_at"]
    assert as_(api, "auditeur").get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 200


def test_declaring_a_conflict_needs_details_and_keeps_the_dossier_closed(api):
    dossier, pk = assigned(api)
    response = declare(api, "auditeur", pk, has_conflict=True, details=" ")
    assert response.status_code == 400, response.data
    assert Assignment.objects.get(pk=pk).declared_at is None
    response = declare(api, "auditeur", pk, has_conflict=True, details="Ancien agent de Niort.")
    assert response.status_code == 200, response.data
    assert as_(api, "auditeur").get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 404
    assert not user("auditeur").has_perm("certification.view_dossier", dossier)


def test_a_declaration_is_made_once(api):
    _, pk = assigned(api)
    declare(api, "auditeur", pk, has_conflict=False)
    declared_at = Assignment.objects.get(pk=pk).declared_at
    response = declare(api, "auditeur", pk, has_conflict=True, details="Finalement, si.")
    assert response.status_code == 409, response.data
    assignment = Assignment.objects.get(pk=pk)
    assert (assignment.has_conflict, assignment.declared_at) == (False, declared_at)


def test_it_refuses_a_manager_declaring_for_the_auditor(api):
    _, pk = assigned(api)
    response = declare(api, "gestionnaire", pk, has_conflict=False)
    assert response.status_code == 403, response.data
    assert Assignment.objects.get(pk=pk).declared_at is None


@pytest.mark.parametrize("who", ["auditeur2", "niort", "stranger"])
def test_it_hides_an_assignment_from_anyone_else(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    _, pk = assigned(api)
    response = declare(api, who, pk, has_conflict=False)
    assert response.status_code == 404, response.data
    assert Assignment.objects.get(pk=pk).declared_at is None


def test_a_declaration_requires_authentication(api):
    _, pk = assigned(api)
    response = anonymous(api).post(f"/api/v1/assignments/{pk}/declare/", {"has_conflict": False})
    assert response.status_code == 401
    assert Assignment.objects.get(pk=pk).declared_at is None


@pytest.mark.parametrize("data", [{}, {"has_conflict": "peut-être"}])
def test_a_declaration_must_say_yes_or_no(api, data):
    _, pk = assigned(api)
    assert declare(api, "auditeur", pk, **data).status_code == 400
    assert Assignment.objects.get(pk=pk).declared_at is None


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_an_unknown_assignment_is_not_found(api, pk):
    assert declare(api, "auditeur", pk, has_conflict=False).status_code == 404
