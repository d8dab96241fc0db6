"""The audit's transitions through `perform_transition`: the review starts once a lead
auditor declared no conflict; information requests, the report and corrective actions each
want their input, and record it."""

import pytest

from audits import services as audit_services
from audits.models import AuditReport, CorrectiveAction, Finding, InformationRequest
from certification import guards
from certification.errors import Conflict, InvalidInput
from certification.services.transitions import perform_transition
from tests import factories as f
from tests.helpers import missing, refused

pytestmark = pytest.mark.django_db


# -- start_review ---------------------------------------------------------------------------


def test_the_lead_auditor_starts_the_review_after_declaring_no_conflict():
    dossier = f.DossierFactory(ready_for="under_review")
    dossier = perform_transition(dossier=dossier, name="start_review", by=dossier.cast.auditor)
    assert dossier.state == "under_review"


def codes(entries: list[dict]) -> list[str]:
    return [entry["code"] for entry in entries]


def test_the_review_waits_for_a_lead_auditor_who_declared_no_conflict():
    dossier = f.DossierFactory(state="admissible")
    auditor, manager = dossier.cast.auditor, dossier.cast.manager
    assert codes(guards.conflict_of_interest_declared(dossier)) == ["lead_auditor_missing"]

    assignment = audit_services.assignment_create(
        dossier=dossier, auditor_username=auditor.username, role="lead", by=manager
    )
    assert codes(guards.conflict_of_interest_declared(dossier)) == ["declaration_missing"]

    audit_services.assignment_declare(
        assignment=assignment, by=auditor, has_conflict=True, details="Conjoint élu."
    )
    assert codes(guards.conflict_of_interest_declared(dossier)) == ["conflict_of_interest"]


# -- Information requests -------------------------------------------------------------------


@pytest.mark.parametrize("question", [None, "", "   "])
def test_it_requires_a_question_to_request_information(question):
    dossier = f.DossierFactory(state="under_review")
    data = {} if question is None else {"question": question}

    error = refused(Conflict, dossier, "request_information", dossier.cast.auditor, **data)

    assert missing(error) == [("input_missing", "question")]
    assert not InformationRequest.objects.filter(dossier=dossier).exists()


def test_a_co_auditor_requests_information_which_is_recorded():
    dossier = f.DossierFactory(state="under_review")
    co = f.someone(dossier, "co_auditor")

    dossier = perform_transition(
        dossier=dossier, name="request_information", by=co, data={"question": "Le budget ?"}
    )

    assert dossier.state == "information_requested"
    request = InformationRequest.objects.get(dossier=dossier)
    assert (request.question, request.asked_by, request.answered_at) == ("Le budget ?", co, None)


def test_it_requires_an_answer_to_provide_information_and_records_it():
    dossier = f.DossierFactory(state="information_requested")
    referent = dossier.cast.referent

    error = refused(Conflict, dossier, "provide_information", referent, answer=" ")
    assert missing(error) == [("input_missing", "answer")]

    dossier = perform_transition(
        dossier=dossier, name="provide_information", by=referent, data={"answer": "Ci-joint."}
    )
    assert dossier.state == "under_review"
    request = InformationRequest.objects.get(dossier=dossier)
    assert (request.answer, request.answered_by) == ("Ci-joint.", referent)
    assert request.answered_at is not None


# -- issue_report ---------------------------------------------------------------------------


def three_criteria(**kwargs):
    referential = f.ReferentialFactory(criteria=[("A-1", True), ("A-2", False), ("A-3", False)])
    return f.DossierFactory(campaign=f.CampaignFactory(referential=referential), **kwargs)


def test_it_names_the_criteria_not_assessed_before_the_report():
    dossier = three_criteria(state="under_review")
    audit_services.assessment_record(
        dossier=dossier, criterion_code="A-2", rating="conform", points=100, comment="",
        by=dossier.cast.auditor,
    )  # fmt: skip

    error = refused(Conflict, dossier, "issue_report", dossier.cast.auditor, recommendation="award")

    assert missing(error) == [("criterion_unassessed", "A-1"), ("criterion_unassessed", "A-3")]
    assert not AuditReport.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize(
    ("data", "error", "entries"),
    [
        ({}, Conflict, [("input_missing", "recommendation")]),
        ({"recommendation": "maybe"}, InvalidInput, []),
    ],
)
def test_it_checks_the_reports_input(data, error, entries):
    dossier = f.DossierFactory(ready_for="report_issued")
    caught = refused(error, dossier, "issue_report", dossier.cast.auditor, **data)
    assert missing(caught) == entries
    assert not AuditReport.objects.filter(dossier=dossier).exists()


def test_the_report_records_the_recommendation_level_and_score():
    dossier = three_criteria(ready_for="report_issued", majors=["A-3"])
    auditor = dossier.cast.auditor

    perform_transition(
        dossier=dossier, name="issue_report", by=auditor, comment="Bonne démarche.",
        data={"recommendation": "defer"},
    )  # fmt: skip

    # 200 points of 300 on the referential's scale of 1000 (tests/audits/test_scoring.py).
    report = AuditReport.objects.get(dossier=dossier)
    assert (report.recommendation, report.level.code, report.score) == ("defer", "gold", 667)
    assert (report.summary, report.issued_by) == ("Bonne démarche.", auditor)


# -- Corrective actions ---------------------------------------------------------------------


def test_corrective_actions_need_an_open_major_finding():
    dossier = f.DossierFactory(state="report_issued")
    error = refused(Conflict, dossier, "request_corrective_actions", dossier.cast.auditor)
    assert missing(error) == [("no_major_finding", None)]


@pytest.mark.parametrize("who", ["auditor", "manager"])
def test_the_lead_auditor_or_a_manager_requests_corrective_actions(who):
    dossier = f.DossierFactory(state="report_issued", majors=["A-1"])
    dossier = perform_transition(
        dossier=dossier, name="request_corrective_actions", by=f.someone(dossier, who)
    )
    assert dossier.state == "corrective_actions"


def test_it_wants_a_plan_for_each_major_finding_then_records_them():
    dossier = three_criteria(state="corrective_actions", majors=["A-1", "A-3"])
    referent = dossier.cast.referent
    first, third = (Finding.objects.get(dossier=dossier, criterion__code=c) for c in ("A-1", "A-3"))

    error = refused(Conflict, dossier, "submit_corrective_actions", referent)
    assert [(m["code"], m["finding"], m["criterion"]) for m in error.extra["missing"]] == [
        ("plan_missing", first.pk, "A-1"), ("plan_missing", third.pk, "A-3"),
    ]  # fmt: skip

    plans = {str(first.pk): "Publier les délais.", str(third.pk): "  "}
    error = refused(Conflict, dossier, "submit_corrective_actions", referent, plans=plans)
    assert missing(error) == [("plan_missing", "A-3")]
    assert not CorrectiveAction.objects.filter(finding__dossier=dossier).exists()

    plans[str(third.pk)] = "Isoler les écoles."
    dossier = perform_transition(
        dossier=dossier, name="submit_corrective_actions", by=referent, data={"plans": plans}
    )
    assert dossier.state == "under_review"
    actions = CorrectiveAction.objects.filter(finding__dossier=dossier)
    assert sorted(actions.values_list("plan", "submitted_by")) == [
        ("Isoler les écoles.", referent.pk), ("Publier les délais.", referent.pk),
    ]  # fmt: skip


def test_it_refuses_plans_that_are_not_a_mapping():
    dossier = f.DossierFactory(state="corrective_actions", majors=["A-1"])
    refused(InvalidInput, dossier, "submit_corrective_actions", dossier.cast.referent,
            plans=["Publier."])  # fmt: skip
