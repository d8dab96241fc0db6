"""POST /api/v1/dossiers/{id}/transitions/{name}/: who reaches it (401, 404, 403) and the
shape of each answer: the dossier (200); otherwise a `detail`, with the guard's `missing`
entries as objects (409) or the fields in error (400). A refused request leaves the state and
the log as they were. What each transition wants and does is tested on the services:
tests/certification/ and tests/audits/."""

import pytest

from audits import services as audit_services
from certification.models import Decision, Dossier
from tests.api.calls import anonymous, as_, run
from tests.demo import cast, dossier_at, user
from tests.helpers import snapshot
from tests.walk import ready_for

pytestmark = pytest.mark.django_db


def assert_refused(response, status, dossier, before):
    assert response.status_code == status, response.data
    assert response.data["detail"]
    assert snapshot(dossier) == before


# -- 200 ------------------------------------------------------------------------------------


def test_it_runs_the_transition_as_the_signed_in_user_and_answers_with_the_dossier(api):
    dossier = dossier_at("submitted")

    response = run(api, "gestionnaire", dossier, "return_for_completion", comment="GOV-2 ?")

    assert response.status_code == 200, response.data
    assert (response.data["id"], response.data["state"]) == (dossier.pk, "draft")
    assert {"available_transitions", "criteria", "record"} <= set(response.data)
    log = dossier.history.order_by("id").last()
    assert (log.actor.username, log.comment) == ("gestionnaire", "GOV-2 ?")


# -- 401, 404: who has no part in the dossier -------------------------------------------------


def test_it_refuses_an_anonymous_user(api):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    response = anonymous(api).post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/withdraw/", {}, format="json"
    )
    assert_refused(response, 401, dossier, before)


@pytest.mark.parametrize("who", ["stranger", "lille", "auditeur", "comite"])
def test_it_hides_a_draft_from_those_with_no_part_in_it(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    dossier = dossier_at("draft")
    before = snapshot(dossier)
    assert_refused(run(api, who, dossier, "withdraw"), 404, dossier, before)


@pytest.mark.parametrize("who", ["auditeur", "comite"])
def test_it_hides_a_submitted_dossier_from_auditors_and_the_committee(api, who):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    assert_refused(run(api, who, dossier, "declare_admissible"), 404, dossier, before)


def test_it_hides_the_dossier_from_an_auditor_not_assigned(api):
    dossier = dossier_at("under_review")
    before = snapshot(dossier)
    response = run(api, "auditeur2", dossier, "request_information", question="?")
    assert_refused(response, 404, dossier, before)


@pytest.mark.parametrize("conflict", [None, True], ids=["not-declared", "conflict-declared"])
def test_it_hides_the_dossier_from_a_lead_auditor_until_they_declare_no_conflict(api, conflict):
    dossier = dossier_at("admissible")
    assignment = audit_services.assignment_create(
        dossier=dossier, auditor_username="auditeur", role="lead", by=user("gestionnaire")
    )
    if conflict:
        audit_services.assignment_declare(
            assignment=assignment, by=user("auditeur"), has_conflict=True, details="Ancien agent."
        )
    before = snapshot(dossier)
    assert_refused(run(api, "auditeur", dossier, "start_review"), 404, dossier, before)


def test_it_hides_a_dossier_not_referred_from_the_committee(api):
    dossier = dossier_at("report_issued")
    before = snapshot(dossier)
    assert_refused(run(api, "comite", dossier, "award"), 404, dossier, before)
    assert not Decision.objects.filter(dossier=dossier).exists()


# -- 403: who sees the dossier but may not run this ------------------------------------------


def test_it_refuses_a_member_who_is_not_the_referent(api, contributor, viewer):
    dossier = ready_for(dossier_at("draft"), "submitted", cast())
    before = snapshot(dossier)
    for who in (contributor, viewer):
        assert_refused(run(api, who, dossier, "submit"), 403, dossier, before)


@pytest.mark.parametrize(
    ("state", "who", "name"),
    [
        ("submitted", "niort", "declare_admissible"),
        ("submitted", "gestionnaire", "withdraw"),
        ("under_review", "gestionnaire", "request_information"),
        ("committee_review", "auditeur", "award"),
        ("awarded", "gestionnaire", "revoke"),
        ("awarded", "comite", "expire"),
    ],
)
def test_it_refuses_whoever_the_transition_is_not_for(api, state, who, name):
    dossier = dossier_at(state)
    before = snapshot(dossier)
    assert_refused(run(api, who, dossier, name, comment="Non."), 403, dossier, before)


# -- 409: not possible now, or a guard is not met ---------------------------------------------


def test_it_refuses_a_transition_not_possible_from_the_current_state(api):
    dossier = dossier_at("draft")
    before = snapshot(dossier)
    response = run(api, "gestionnaire", dossier, "declare_admissible")
    assert_refused(response, 409, dossier, before)
    assert "missing" not in response.data


def test_a_guard_names_what_is_missing_as_objects(api):
    dossier = dossier_at("draft")
    before = snapshot(dossier)

    response = run(api, "niort", dossier, "submit")

    assert_refused(response, 409, dossier, before)
    assert {"code": "criterion_unanswered", "criterion": "GOV-1",
            "detail": "GOV-1 has no answer."} in response.data["missing"]  # fmt: skip
    assert sorted((m["code"], m["criterion"]) for m in response.data["missing"]) == [
        (code, criterion)
        for code in ("criterion_unanswered", "evidence_missing")
        for criterion in ("ENV-1", "GOV-1", "SRV-1")
    ]
    assert "GOV-1" in response.data["detail"] and "GOV-2" not in response.data["detail"]


def test_a_required_input_left_blank_is_named_by_its_field(api):
    dossier = dossier_at("under_review")
    before = snapshot(dossier)

    response = run(api, "auditeur", dossier, "request_information", question="   ")

    assert_refused(response, 409, dossier, before)
    assert response.data["missing"] == [
        {"code": "input_missing", "field": "question", "detail": "A question is required."}
    ]
    assert "question" in response.data["detail"]


def test_a_missing_corrective_action_plan_names_its_finding(api):
    dossier = dossier_at("corrective_actions", majors=["ENV-1"])
    finding = dossier.findings.get()
    before = snapshot(dossier)

    response = run(api, "niort", dossier, "submit_corrective_actions", plans={})

    assert_refused(response, 409, dossier, before)
    [entry] = response.data["missing"]
    assert (entry["code"], entry["finding"], entry["criterion"]) == (
        "plan_missing", finding.pk, "ENV-1",
    )  # fmt: skip
    assert "ENV-1" in entry["detail"]


# -- 400: what is not a transition, or not its input -----------------------------------------


@pytest.mark.parametrize(
    "name", ["explode", "Submit", "sub%20mit", "withdraw.json", "delete", "refresh_from_db"]
)
def test_it_refuses_an_unknown_transition_name_with_a_detail(api, name):
    dossier = dossier_at("draft")
    before = snapshot(dossier)
    assert_refused(run(api, "niort", dossier, name), 400, dossier, before)
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_it_names_the_fields_of_an_invalid_input(api):
    dossier = ready_for(dossier_at("under_review"), "report_issued", cast())
    before = snapshot(dossier)

    response = run(api, "auditeur", dossier, "issue_report", recommendation="maybe")

    assert_refused(response, 400, dossier, before)
    assert set(response.data["errors"]) == {"recommendation"}


def test_it_refuses_corrective_action_plans_that_are_not_a_mapping(api):
    dossier = dossier_at("corrective_actions", majors=["SRV-1"])
    before = snapshot(dossier)
    response = run(api, "niort", dossier, "submit_corrective_actions", plans=["Publier."])
    assert_refused(response, 400, dossier, before)


@pytest.mark.parametrize("body", ['{"comment": "À compléter', '["À compléter"]'])
def test_it_refuses_a_body_that_is_not_a_json_object(api, body):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    response = as_(api, "gestionnaire").post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/return_for_completion/",
        body, content_type="application/json",
    )  # fmt: skip
    assert_refused(response, 400, dossier, before)
