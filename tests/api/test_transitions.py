"""POST /api/v1/dossiers/{id}/transitions/{name}/: who may run each label transition, its
guard and its input. A refused transition leaves the state and the log as they were."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audits import services as audit_services
from audits.models import AuditReport, CorrectiveAction, Finding, InformationRequest
from certification import guards
from certification.models import Award, Campaign, Decision, Dossier, TransitionLog
from certification.services import dossiers as dossier_services
from certification.services.transitions import perform_transition
from documents import services as document_services
from documents.models import Document
from tests import factories
from tests.api.journey import (
    anonymous,
    as_,
    assess,
    dossier_at,
    run,
    snapshot,
    trophy_campaign,
    user,
)
from tests.helpers import pdf

pytestmark = pytest.mark.django_db

MANDATORY = ["GOV-1", "SRV-1", "ENV-1"]


def assert_refused(response, status, dossier, before):
    assert response.status_code == status, response.data
    assert response.data["detail"]
    assert snapshot(dossier) == before


# -- Any transition ----------------------------------------------------------------------


def test_it_refuses_an_anonymous_user(api):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    response = anonymous(api).post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/withdraw/", {}, format="json"
    )
    assert_refused(response, 401, dossier, before)


def test_it_hides_the_dossier_from_a_stranger(api, stranger):
    dossier = dossier_at("draft")
    before = snapshot(dossier)
    assert_refused(run(api, stranger, dossier, "withdraw"), 404, dossier, before)


def test_it_hides_the_dossier_from_the_referent_of_another_collectivity(api):
    dossier = dossier_at("draft")
    before = snapshot(dossier)
    assert_refused(run(api, "lille", dossier, "withdraw"), 404, dossier, before)


def test_it_hides_the_dossier_from_an_auditor_not_assigned(api):
    dossier = dossier_at("under_review")
    before = snapshot(dossier)
    assert_refused(
        run(api, "auditeur2", dossier, "request_information", question="?"), 404, dossier, before
    )


@pytest.mark.parametrize("name", ["explode", "Submit", "submit2", "sub%20mit", "withdraw.json"])
def test_it_refuses_an_unknown_transition_name_with_a_detail(api, name):
    dossier = dossier_at("draft")
    before = snapshot(dossier)
    assert_refused(run(api, "niort", dossier, name), 400, dossier, before)


@pytest.mark.parametrize("name", ["delete", "save", "refresh_from_db", "full_clean"])
def test_it_refuses_a_model_method_that_is_not_a_transition(api, name):
    dossier = dossier_at("draft")
    before = snapshot(dossier)
    assert_refused(run(api, "niort", dossier, name), 400, dossier, before)
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_it_refuses_malformed_json(api):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    response = as_(api, "gestionnaire").post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/return_for_completion/",
        '{"comment": "À compléter',
        content_type="application/json",
    )
    assert_refused(response, 400, dossier, before)


def test_it_refuses_a_transition_not_possible_from_the_current_state(api):
    dossier = dossier_at("draft")
    before = snapshot(dossier)
    assert_refused(run(api, "gestionnaire", dossier, "declare_admissible"), 409, dossier, before)


def test_it_records_each_transition_with_its_actor_and_comment(api):
    dossier = dossier_at("submitted")
    response = run(api, "gestionnaire", dossier, "return_for_completion", comment="Ajoutez GOV-2.")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "draft"
    log = TransitionLog.objects.filter(dossier=dossier).last()
    assert (log.transition, log.source, log.target) == (
        "return_for_completion",
        "submitted",
        "draft",
    )
    assert (log.actor.username, log.comment) == ("gestionnaire", "Ajoutez GOV-2.")


# -- submit -------------------------------------------------------------------------------


def completed_draft():
    dossier = dossier_at("draft")
    for code in MANDATORY + ["GOV-2"]:
        dossier_services.response_save(
            dossier=dossier, criterion_code=code, answer="Oui.", self_points=None, by=user("niort")
        )
    for code in MANDATORY:
        document_services.document_upload(
            dossier=dossier, criterion_code=code, upload=pdf(), by=user("niort")
        )
    return dossier


def test_the_referent_submits_a_complete_dossier(api):
    dossier = completed_draft()
    response = run(api, "niort", dossier, "submit")
    assert response.status_code == 200, response.data
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert dossier.submitted_at is not None


@pytest.mark.parametrize("who", ["contributor", "viewer"])
def test_it_refuses_a_member_who_is_not_the_referent_trying_to_submit(api, who, request):
    dossier = completed_draft()
    before = snapshot(dossier)
    response = run(api, request.getfixturevalue(who), dossier, "submit")
    assert_refused(response, 403, dossier, before)


def test_it_refuses_a_manager_trying_to_submit(api):
    dossier = completed_draft()
    before = snapshot(dossier)
    assert_refused(run(api, "gestionnaire", dossier, "submit"), 403, dossier, before)


def test_submit_names_the_mandatory_criteria_without_an_answer(api):
    dossier = dossier_at("draft")
    before = snapshot(dossier)
    response = run(api, "niort", dossier, "submit")
    assert_refused(response, 409, dossier, before)
    for code in MANDATORY:
        assert code in response.data["detail"]
    assert "GOV-2" not in response.data["detail"]


def test_submit_names_the_mandatory_criteria_without_evidence(api):
    dossier = dossier_at("draft")
    for code in MANDATORY:
        dossier_services.response_save(
            dossier=dossier, criterion_code=code, answer="Oui.", self_points=None, by=user("niort")
        )
    document_services.document_upload(
        dossier=dossier, criterion_code="GOV-1", upload=pdf(), by=user("niort")
    )
    before = snapshot(dossier)
    response = run(api, "niort", dossier, "submit")
    assert_refused(response, 409, dossier, before)
    assert "SRV-1" in response.data["detail"] and "ENV-1" in response.data["detail"]
    assert "GOV-1" not in response.data["detail"]


def test_submit_does_not_count_evidence_that_was_not_cleared(api):
    dossier = completed_draft()
    Document.objects.filter(dossier=dossier, criterion__code="SRV-1").update(scan_status="pending")
    before = snapshot(dossier)
    response = run(api, "niort", dossier, "submit")
    assert_refused(response, 409, dossier, before)
    assert "SRV-1" in response.data["detail"]


def test_submit_is_refused_once_the_campaign_has_closed(api):
    dossier = completed_draft()
    Campaign.objects.filter(pk=dossier.campaign_id).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    before = snapshot(dossier)
    assert_refused(run(api, "niort", dossier, "submit"), 409, dossier, before)


# -- Admissibility ------------------------------------------------------------------------


@pytest.mark.parametrize("comment", [None, "", "   "])
def test_return_for_completion_requires_a_comment(api, comment):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    data = {} if comment is None else {"comment": comment}
    assert_refused(
        run(api, "gestionnaire", dossier, "return_for_completion", **data), 409, dossier, before
    )


def test_it_refuses_the_referent_returning_their_own_dossier(api):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    response = run(api, "niort", dossier, "return_for_completion", comment="Je reprends.")
    assert_refused(response, 403, dossier, before)


def test_declare_inadmissible_requires_a_reason(api):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    assert_refused(run(api, "gestionnaire", dossier, "declare_inadmissible"), 409, dossier, before)
    response = run(api, "gestionnaire", dossier, "declare_inadmissible", comment="Hors champ.")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "inadmissible"


def test_it_refuses_the_referent_declaring_their_dossier_admissible(api):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    assert_refused(run(api, "niort", dossier, "declare_admissible"), 403, dossier, before)


def test_it_hides_a_submitted_dossier_from_auditors_and_the_committee(api):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    for who in ("auditeur", "comite"):
        assert_refused(run(api, who, dossier, "declare_admissible"), 404, dossier, before)


# -- start_review: the lead auditor, after declaring no conflict of interest --------------


def assigned(state="admissible", auditor="auditeur", role="lead", declare=True, conflict=False):
    dossier = dossier_at(state)
    assignment = audit_services.assignment_create(
        dossier=dossier, auditor_username=auditor, role=role, by=user("gestionnaire")
    )
    if declare:
        audit_services.assignment_declare(
            assignment=assignment,
            by=user(auditor),
            has_conflict=conflict,
            details="Ancien agent de la ville." if conflict else "",
        )
    return dossier


def test_the_lead_auditor_starts_the_review_after_declaring_no_conflict(api):
    dossier = assigned()
    response = run(api, "auditeur", dossier, "start_review")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "under_review"


def test_an_auditor_who_has_not_declared_cannot_see_the_dossier_to_start_its_review(api):
    dossier = assigned(declare=False)
    before = snapshot(dossier)
    assert_refused(run(api, "auditeur", dossier, "start_review"), 404, dossier, before)


def test_an_auditor_who_declared_a_conflict_cannot_start_the_review(api):
    dossier = assigned(conflict=True)
    before = snapshot(dossier)
    assert_refused(run(api, "auditeur", dossier, "start_review"), 404, dossier, before)


def test_it_refuses_a_co_auditor_starting_the_review(api):
    dossier = assigned(role="co")
    before = snapshot(dossier)
    assert_refused(run(api, "auditeur", dossier, "start_review"), 403, dossier, before)


def test_it_refuses_a_manager_starting_the_review(api):
    dossier = assigned()
    before = snapshot(dossier)
    assert_refused(run(api, "gestionnaire", dossier, "start_review"), 403, dossier, before)


def test_the_review_guard_wants_a_lead_auditor_who_declared_no_conflict():
    dossier = dossier_at("admissible")
    assert guards.conflict_of_interest_declared(dossier)  # no lead auditor
    assignment = audit_services.assignment_create(
        dossier=dossier, auditor_username="auditeur", role="lead", by=user("gestionnaire")
    )
    assert guards.conflict_of_interest_declared(dossier)  # not declared
    audit_services.assignment_declare(
        assignment=assignment, by=user("auditeur"), has_conflict=True, details="Conjoint élu."
    )
    assert guards.conflict_of_interest_declared(dossier)  # declared a conflict


# -- Information requests ------------------------------------------------------------------


def test_request_information_requires_a_question(api):
    dossier = dossier_at("under_review")
    before = snapshot(dossier)
    assert_refused(run(api, "auditeur", dossier, "request_information"), 409, dossier, before)
    assert not InformationRequest.objects.filter(dossier=dossier).exists()


def test_a_co_auditor_may_request_information(api):
    dossier = dossier_at("under_review")
    co = audit_services.assignment_create(
        dossier=dossier, auditor_username="auditeur2", role="co", by=user("gestionnaire")
    )
    audit_services.assignment_declare(
        assignment=co, by=user("auditeur2"), has_conflict=False, details=""
    )
    response = run(api, "auditeur2", dossier, "request_information", question="Le budget ?")
    assert response.status_code == 200, response.data
    assert InformationRequest.objects.get(dossier=dossier).question == "Le budget ?"


@pytest.mark.parametrize("who", ["niort", "gestionnaire"])
def test_it_refuses_a_non_auditor_requesting_information(api, who):
    dossier = dossier_at("under_review")
    before = snapshot(dossier)
    response = run(api, who, dossier, "request_information", question="?")
    assert_refused(response, 403, dossier, before)


def test_provide_information_requires_an_answer(api):
    dossier = dossier_at("information_requested")
    before = snapshot(dossier)
    assert_refused(
        run(api, "niort", dossier, "provide_information", answer=" "), 409, dossier, before
    )
    response = run(api, "niort", dossier, "provide_information", answer="Ci-joint.")
    assert response.status_code == 200, response.data
    assert InformationRequest.objects.get(dossier=dossier).answer == "Ci-joint."


def test_it_refuses_the_auditor_and_a_contributor_providing_information(api, contributor):
    dossier = dossier_at("information_requested")
    before = snapshot(dossier)
    for who in ("auditeur", contributor):
        response = run(api, who, dossier, "provide_information", answer="Voici.")
        assert_refused(response, 403, dossier, before)


# -- issue_report ---------------------------------------------------------------------------


def test_issue_report_names_the_criteria_not_assessed(api):
    dossier = dossier_at("under_review")
    for code, points in (("GOV-1", 100), ("SRV-1", 150)):
        audit_services.assessment_record(
            dossier=dossier,
            criterion_code=code,
            rating="conform",
            points=points,
            comment="",
            by=user("auditeur"),
        )
    before = snapshot(dossier)
    response = run(api, "auditeur", dossier, "issue_report", recommendation="award")
    assert_refused(response, 409, dossier, before)
    for code in ("GOV-2", "SRV-2", "ENV-1", "ENV-2"):
        assert code in response.data["detail"]
    for code in ("GOV-1", "SRV-1"):
        assert code not in response.data["detail"]
    assert not AuditReport.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 409),  # a recommendation is required
        ({"recommendation": "maybe"}, 400),
        ({"recommendation": "award", "level": "platine"}, 400),
    ],
)
def test_issue_report_checks_its_input(api, data, status):
    dossier = dossier_at("under_review")
    assess(dossier, user("auditeur"))
    before = snapshot(dossier)
    assert_refused(run(api, "auditeur", dossier, "issue_report", **data), status, dossier, before)
    assert not AuditReport.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize("who", ["gestionnaire", "niort"])
def test_it_refuses_issue_report_by_anyone_but_the_lead_auditor(api, who):
    dossier = dossier_at("under_review")
    assess(dossier, user("auditeur"))
    before = snapshot(dossier)
    response = run(api, who, dossier, "issue_report", recommendation="award")
    assert_refused(response, 403, dossier, before)


# -- Corrective actions (a major finding) ---------------------------------------------------


def test_request_corrective_actions_needs_an_open_major_finding(api):
    dossier = dossier_at("report_issued")
    before = snapshot(dossier)
    response = run(api, "auditeur", dossier, "request_corrective_actions")
    assert_refused(response, 409, dossier, before)


@pytest.mark.parametrize("who", ["auditeur", "gestionnaire"])
def test_the_lead_auditor_or_a_manager_requests_corrective_actions(api, who):
    dossier = dossier_at("report_issued", majors=("SRV-1",))
    response = run(api, who, dossier, "request_corrective_actions")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "corrective_actions"


def test_it_refuses_the_referent_requesting_corrective_actions(api):
    dossier = dossier_at("report_issued", majors=("SRV-1",))
    before = snapshot(dossier)
    assert_refused(run(api, "niort", dossier, "request_corrective_actions"), 403, dossier, before)


def test_submit_corrective_actions_requires_a_plan_for_each_major_finding(api):
    dossier = dossier_at("corrective_actions", majors=("SRV-1", "ENV-1"))
    srv, env = (Finding.objects.get(dossier=dossier, criterion__code=c) for c in ("SRV-1", "ENV-1"))
    before = snapshot(dossier)
    assert_refused(run(api, "niort", dossier, "submit_corrective_actions"), 409, dossier, before)
    response = run(
        api,
        "niort",
        dossier,
        "submit_corrective_actions",
        plans={str(srv.pk): "Publier les délais.", str(env.pk): "  "},
    )
    assert_refused(response, 409, dossier, before)
    assert "ENV-1" in response.data["detail"] and "SRV-1" not in response.data["detail"]
    assert not CorrectiveAction.objects.filter(finding__dossier=dossier).exists()

    response = run(
        api,
        "niort",
        dossier,
        "submit_corrective_actions",
        plans={str(srv.pk): "Publier les délais.", str(env.pk): "Isoler les écoles."},
    )
    assert response.status_code == 200, response.data
    assert response.data["state"] == "under_review"
    assert CorrectiveAction.objects.filter(finding__dossier=dossier).count() == 2


def test_submit_corrective_actions_refuses_plans_that_are_not_a_mapping(api):
    dossier = dossier_at("corrective_actions", majors=("SRV-1",))
    before = snapshot(dossier)
    response = run(api, "niort", dossier, "submit_corrective_actions", plans=["Publier."])
    assert_refused(response, 400, dossier, before)


def test_it_refuses_the_auditor_and_a_contributor_submitting_corrective_actions(api, contributor):
    dossier = dossier_at("corrective_actions", majors=("SRV-1",))
    finding = Finding.objects.get(dossier=dossier)
    before = snapshot(dossier)
    for who in ("auditeur", contributor):
        response = run(
            api, who, dossier, "submit_corrective_actions", plans={str(finding.pk): "Plan."}
        )
        assert_refused(response, 403, dossier, before)


def test_refer_to_committee_is_blocked_by_an_open_major_finding(api):
    dossier = dossier_at("report_issued", majors=("SRV-1",))
    before = snapshot(dossier)
    assert_refused(run(api, "gestionnaire", dossier, "refer_to_committee"), 409, dossier, before)


def test_a_dossier_goes_to_committee_once_its_major_finding_is_closed(api):
    dossier = dossier_at("corrective_actions", majors=("SRV-1",))
    finding = Finding.objects.get(dossier=dossier)
    run(api, "niort", dossier, "submit_corrective_actions", plans={str(finding.pk): "Plan."})
    dossier.refresh_from_db()
    assess(dossier, user("auditeur"))  # now conform: the finding closes
    response = run(api, "auditeur", dossier, "issue_report", recommendation="award")
    assert response.data["state"] == "report_issued", response.data
    response = run(api, "gestionnaire", dossier, "refer_to_committee")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "committee_review"


@pytest.mark.parametrize("who", ["auditeur", "niort"])
def test_it_refuses_anyone_but_a_manager_referring_to_committee(api, who):
    dossier = dossier_at("report_issued")
    before = snapshot(dossier)
    assert_refused(run(api, who, dossier, "refer_to_committee"), 403, dossier, before)


# -- The committee's decision ---------------------------------------------------------------


def assert_no_decision(dossier):
    assert not Decision.objects.filter(dossier=dossier).exists()
    assert not Award.objects.filter(dossier=dossier).exists()


def test_a_committee_member_awards_a_referred_dossier(api):
    dossier = dossier_at("committee_review")
    response = run(api, "comite", dossier, "award")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "awarded"
    assert Decision.objects.get(dossier=dossier).outcome == "award"
    assert Award.objects.get(dossier=dossier).level.code == "avance"  # the report's level


def test_it_hides_a_dossier_not_referred_from_the_committee(api):
    dossier = dossier_at("report_issued")
    before = snapshot(dossier)
    assert_refused(run(api, "comite", dossier, "award"), 404, dossier, before)
    assert_no_decision(dossier)


def test_it_refuses_the_assigned_auditor_trying_to_award(api):
    dossier = dossier_at("committee_review")
    before = snapshot(dossier)
    assert_refused(run(api, "auditeur", dossier, "award"), 403, dossier, before)
    assert_no_decision(dossier)


@pytest.mark.parametrize("who", ["gestionnaire", "niort"])
def test_it_refuses_a_manager_or_the_referent_trying_to_award(api, who):
    dossier = dossier_at("committee_review")
    before = snapshot(dossier)
    assert_refused(run(api, who, dossier, "award"), 403, dossier, before)
    assert_no_decision(dossier)


def test_it_refuses_a_committee_member_who_audited_the_dossier(api):
    member = factories.in_group(factories.committee_member(username="comite-auditrice"), "auditors")
    dossier = dossier_at("under_review")
    co = audit_services.assignment_create(
        dossier=dossier, auditor_username=member.username, role="co", by=user("gestionnaire")
    )
    audit_services.assignment_declare(assignment=co, by=member, has_conflict=False, details="")
    assess(dossier, user("auditeur"))
    perform_transition(
        dossier=dossier, name="issue_report", by=user("auditeur"), data={"recommendation": "award"}
    )
    perform_transition(dossier=dossier, name="refer_to_committee", by=user("gestionnaire"))
    before = snapshot(dossier)
    assert_refused(run(api, member, dossier, "award"), 403, dossier, before)
    assert_refused(run(api, member, dossier, "refuse", comment="Non."), 403, dossier, before)
    assert_no_decision(dossier)
    assert run(api, "comite", dossier, "award").status_code == 200


def test_award_refuses_an_unknown_level(api):
    dossier = dossier_at("committee_review")
    before = snapshot(dossier)
    assert_refused(run(api, "comite", dossier, "award", level="platine"), 400, dossier, before)
    assert_no_decision(dossier)


def test_refuse_requires_reasons(api):
    dossier = dossier_at("committee_review")
    before = snapshot(dossier)
    assert_refused(run(api, "comite", dossier, "refuse"), 409, dossier, before)
    assert_no_decision(dossier)
    response = run(api, "comite", dossier, "refuse", comment="Pilotage insuffisant.")
    assert response.status_code == 200, response.data
    decision = Decision.objects.get(dossier=dossier)
    assert (decision.outcome, decision.reasons) == ("refuse", "Pilotage insuffisant.")
    assert not Award.objects.filter(dossier=dossier).exists()


# -- withdraw -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        "draft",
        "submitted",
        "admissible",
        "under_review",
        "information_requested",
        "report_issued",
        "committee_review",
    ],
)
def test_the_referent_withdraws_before_a_decision(api, state):
    dossier = dossier_at(state)
    response = run(api, "niort", dossier, "withdraw")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "withdrawn"


@pytest.mark.parametrize("state", ["awarded", "refused", "inadmissible", "withdrawn"])
def test_it_refuses_a_withdrawal_after_a_decision(api, state):
    dossier = dossier_at(state)
    before = snapshot(dossier)
    assert_refused(run(api, "niort", dossier, "withdraw"), 409, dossier, before)


def test_it_refuses_a_contributor_or_a_manager_withdrawing(api, contributor):
    dossier = dossier_at("submitted")
    before = snapshot(dossier)
    for who in (contributor, "gestionnaire"):
        assert_refused(run(api, who, dossier, "withdraw"), 403, dossier, before)


# -- After the award: suspend, reinstate, revoke, expire -----------------------------------


def award_status(dossier):
    return Award.objects.get(dossier=dossier).status


@pytest.mark.parametrize("name", ["suspend", "revoke"])
def test_suspend_and_revoke_require_a_reason(api, name):
    dossier = dossier_at("awarded")
    before = snapshot(dossier)
    assert_refused(run(api, "comite", dossier, name), 409, dossier, before)
    assert award_status(dossier) == "active"


def test_reinstate_requires_a_reason(api):
    dossier = dossier_at("suspended")
    before = snapshot(dossier)
    assert_refused(run(api, "comite", dossier, "reinstate", comment=" "), 409, dossier, before)
    assert award_status(dossier) == "suspended"
    response = run(api, "gestionnaire", dossier, "reinstate", comment="Audit passé.")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "awarded"
    assert award_status(dossier) == "active"


@pytest.mark.parametrize("who", ["comite", "gestionnaire"])
def test_a_committee_member_or_a_manager_suspends_with_a_reason(api, who):
    dossier = dossier_at("awarded")
    response = run(api, who, dossier, "suspend", comment="Surveillance manquée.")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "suspended"
    assert award_status(dossier) == "suspended"


@pytest.mark.parametrize("who", ["niort", "auditeur"])
def test_it_refuses_the_referent_or_the_auditor_suspending(api, who):
    dossier = dossier_at("awarded")
    before = snapshot(dossier)
    assert_refused(run(api, who, dossier, "suspend", comment="Non."), 403, dossier, before)
    assert award_status(dossier) == "active"


def test_it_refuses_a_manager_revoking(api):
    dossier = dossier_at("awarded")
    before = snapshot(dossier)
    assert_refused(
        run(api, "gestionnaire", dossier, "revoke", comment="Fraude."), 403, dossier, before
    )
    assert award_status(dossier) == "active"


@pytest.mark.parametrize("state", ["awarded", "suspended"])
def test_a_committee_member_revokes_with_a_reason(api, state):
    dossier = dossier_at(state)
    response = run(api, "comite", dossier, "revoke", comment="Fraude avérée.")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "revoked"
    assert award_status(dossier) == "revoked"


def test_it_refuses_anyone_expiring_a_label_by_hand(api):
    dossier = dossier_at("awarded")
    before = snapshot(dossier)
    for who in ("comite", "gestionnaire"):
        assert_refused(run(api, who, dossier, "expire"), 403, dossier, before)


# -- Label-only and trophy-only transitions ---------------------------------------------------


def trophy_report():
    return dossier_at("report_issued", campaign=trophy_campaign(), category="20k-100k")


def test_a_trophy_dossier_does_not_go_to_the_certification_committee(api):
    dossier = trophy_report()
    before = snapshot(dossier)
    assert_refused(run(api, "gestionnaire", dossier, "refer_to_committee"), 409, dossier, before)


def test_a_label_dossier_is_not_shortlisted(api):
    dossier = dossier_at("report_issued")
    before = snapshot(dossier)
    assert_refused(run(api, "gestionnaire", dossier, "shortlist"), 409, dossier, before)


def test_a_trophy_dossier_has_no_corrective_actions(api):
    dossier = trophy_report()
    before = snapshot(dossier)
    response = run(api, "gestionnaire", dossier, "request_corrective_actions")
    assert_refused(response, 409, dossier, before)


def test_a_question_of_only_spaces_is_no_question(api):
    dossier = dossier_at("under_review")
    before = snapshot(dossier)
    response = run(api, "auditeur", dossier, "request_information", question="   ")
    assert_refused(response, 409, dossier, before)
    assert "question" in response.data["detail"]
