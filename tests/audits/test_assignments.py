"""Assignments: a manager assigns auditors once the dossier is admissible, each auditor
declares their conflicts of interest (only a declaration of none opens the dossier to them),
and a manager may end an assignment so that another auditor takes over."""

import pytest

from audits import services
from audits.models import Assignment
from certification import roles
from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.services.transitions import perform_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


def assign(dossier, auditor, role="lead", by=None):
    username = auditor if isinstance(auditor, str) else auditor.username
    return services.assignment_create(
        dossier=dossier, auditor_username=username, role=role, by=by or dossier.cast.manager
    )


def declare(assignment, conflict=False, details="", by=None):
    return services.assignment_declare(
        assignment=assignment, by=by or assignment.auditor, has_conflict=conflict, details=details
    )


# -- Assigning ------------------------------------------------------------------------------


def test_a_manager_assigns_a_lead_and_a_co_auditor():
    dossier = f.DossierFactory(state="admissible")
    lead = assign(dossier, dossier.cast.auditor)
    co = assign(dossier, f.auditor(), role="co")
    assert (lead.role, lead.assigned_by, lead.declared_at) == ("lead", dossier.cast.manager, None)
    assert co.role == "co"


@pytest.mark.parametrize("who", ["referent", "auditor", "committee"])
def test_only_a_manager_assigns(who):
    dossier = f.DossierFactory(state="admissible")
    with pytest.raises(NotAllowed):
        assign(dossier, f.auditor(), by=f.someone(dossier, who))
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("state", ["draft", "submitted", "report_issued"])
def test_it_refuses_an_assignment_before_admissibility_or_after_the_review(state):
    dossier = f.DossierFactory(state=state)
    count = Assignment.objects.count()
    with pytest.raises(Conflict):
        assign(dossier, f.auditor(), role="co")
    assert Assignment.objects.count() == count


@pytest.mark.parametrize("case", ["unknown role", "unknown user", "not an auditor"])
def test_it_refuses_a_role_or_a_person_that_does_not_fit(case):
    dossier = f.DossierFactory(state="admissible")
    auditor, role = {
        "unknown role": (f.auditor(), "chief"),
        "unknown user": ("personne", "lead"),
        "not an auditor": (f.committee_member(), "lead"),
    }[case]
    with pytest.raises(InvalidInput):
        assign(dossier, auditor, role=role)
    assert not Assignment.objects.exists()


def test_it_refuses_an_auditor_who_belongs_to_the_collectivity():
    dossier = f.DossierFactory(state="admissible")
    auditor = f.auditor()
    f.member(dossier.collectivity, "viewer", username=auditor.username)
    with pytest.raises(InvalidInput):
        assign(dossier, auditor, role="co")


def test_it_refuses_a_second_lead_or_the_same_auditor_twice():
    dossier = f.DossierFactory(state="admissible")
    assign(dossier, dossier.cast.auditor)
    with pytest.raises(Conflict):
        assign(dossier, f.auditor(), role="lead")
    with pytest.raises(Conflict):
        assign(dossier, dossier.cast.auditor, role="co")
    assert Assignment.objects.count() == 1


# -- Declaring conflicts of interest --------------------------------------------------------


@pytest.fixture
def assignment():
    dossier = f.DossierFactory(state="admissible")
    return assign(dossier, dossier.cast.auditor)


def test_declaring_no_conflict_opens_the_dossier_to_the_auditor(assignment):
    auditor, dossier = assignment.auditor, assignment.dossier
    assert not roles.can_view(auditor, dossier)

    declared = declare(assignment)

    assert declared.has_conflict is False and declared.declared_at is not None
    roles.forget_permissions(dossier)
    assert roles.can_view(auditor, dossier)
    assert roles.has(auditor, roles.LEAD_AUDIT, dossier)


def test_a_declared_conflict_needs_details_and_keeps_the_dossier_closed(assignment):
    with pytest.raises(InvalidInput):
        declare(assignment, conflict=True, details=" ")
    assert Assignment.objects.get(pk=assignment.pk).declared_at is None

    declared = declare(assignment, conflict=True, details="Ancien agent de la ville.")

    assert (declared.has_conflict, declared.conflict_details) == (
        True, "Ancien agent de la ville.",
    )  # fmt: skip
    assert not roles.can_view(assignment.auditor, assignment.dossier)


def test_a_declaration_is_made_once(assignment):
    first = declare(assignment)
    with pytest.raises(Conflict):
        declare(assignment, conflict=True, details="Finalement, si.")
    again = Assignment.objects.get(pk=assignment.pk)
    assert (again.has_conflict, again.declared_at) == (False, first.declared_at)


@pytest.mark.parametrize("who", ["manager", "other auditor"])
def test_only_the_assigned_auditor_declares(assignment, who):
    by = assignment.dossier.cast.manager if who == "manager" else f.auditor()
    with pytest.raises(NotAllowed):
        declare(assignment, by=by)
    assert Assignment.objects.get(pk=assignment.pk).declared_at is None


# -- Ending an assignment -------------------------------------------------------------------


def end(assignment, by=None):
    return services.assignment_end(assignment=assignment, by=by or assignment.dossier.cast.manager)


def test_a_new_lead_takes_over_after_a_declared_conflict(assignment):
    dossier = assignment.dossier
    declare(assignment, conflict=True, details="J'ai travaillé pour la ville en 2024.")

    assert end(assignment).ended_at is not None

    other = f.auditor()
    declare(assign(dossier, other))
    dossier = perform_transition(dossier=dossier, name="start_review", by=other)
    assert dossier.state == "under_review"


def test_an_ended_auditor_loses_access_to_the_dossier(assignment):
    auditor, dossier = assignment.auditor, assignment.dossier
    declare(assignment)

    end(assignment)

    roles.forget_permissions(dossier)
    assert not roles.can_view(auditor, dossier)


def test_only_a_manager_ends_an_assignment(assignment):
    with pytest.raises(NotAllowed):
        end(assignment, by=assignment.auditor)
    assert Assignment.objects.get(pk=assignment.pk).ended_at is None


def test_it_refuses_to_end_an_assignment_twice():
    dossier = f.DossierFactory(state="admissible")
    assignment = assign(dossier, dossier.cast.auditor)
    end(assignment)
    with pytest.raises(Conflict):
        end(assignment)


def test_it_refuses_to_end_an_assignment_after_the_review():
    dossier = f.DossierFactory(state="report_issued")
    assignment = dossier.assignments.get()
    with pytest.raises(Conflict):
        end(assignment)
    assert Assignment.objects.get(pk=assignment.pk).ended_at is None


def test_an_ended_assignment_takes_no_declaration(assignment):
    end(assignment)
    with pytest.raises(Conflict):
        declare(assignment)
