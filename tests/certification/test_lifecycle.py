"""The lifecycle table describes every transition of the model, and nothing else does; the
policy says what a user may do on a dossier and, when blocked, what to fix."""

import inspect

import pytest
from django.utils import translation

from certification import lifecycle
from certification.errors import Conflict, NotAllowed
from certification.forms import TransitionForm
from certification.models import Dossier
from certification.services import dossiers as dossier_services
from certification.services.transitions import SYSTEM, perform_transition
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The assertions quote the source strings."""
    with translation.override("en"):
        yield


def model_transitions() -> set[str]:
    return {t.name for t in Dossier._meta.get_field("state").get_all_transitions(Dossier)}


def test_every_transition_of_the_model_has_an_entry_in_the_table():
    assert model_transitions() == set(lifecycle.STEPS)


@pytest.mark.parametrize("name", sorted(lifecycle.STEPS))
def test_each_entry_names_its_form_and_a_keyword_only_effect(name):
    step = lifecycle.STEPS[name]
    assert step.name == name and str(step.label)
    assert issubclass(step.form, TransitionForm)
    assert step.tone in {"primary", "danger"}
    if step.effect is not None:
        parameters = inspect.signature(step.effect).parameters.values()
        assert all(p.kind is p.KEYWORD_ONLY for p in parameters)
        # The effect receives exactly the dossier, the actor and the form's inputs.
        form_inputs = set(step.form.base_fields) - {"plans"} | {"dossier", "by"}
        assert form_inputs <= {p.name for p in parameters}


def test_a_refused_guard_lists_each_thing_to_fix():
    dossier = factories.DossierFactory()
    referent = factories.member(dossier.collectivity)
    dossier_services.response_save(
        dossier=dossier, criterion_code="A-2", answer="Oui.", self_points=None, by=referent
    )
    with pytest.raises(Conflict) as refused:
        perform_transition(dossier=dossier, name="submit", by=referent)
    assert refused.value.extra["missing"] == [
        {"code": "criterion_unanswered", "criterion": "A-1", "detail": "A-1 has no answer."},
        {"code": "evidence_missing", "criterion": "A-1", "detail": "A-1 has no clean evidence."},
    ]
    assert refused.value.detail == (
        "Mandatory criteria without an answer: A-1. Mandatory criteria without clean evidence: A-1."
    )


def test_a_required_input_left_empty_is_missing_too():
    dossier = factories.DossierFactory()
    referent = factories.member(dossier.collectivity)
    factories.member(dossier.collectivity, "contributor")
    with pytest.raises(Conflict) as refused:
        perform_transition(dossier=dossier, name="submit", by=referent, data={"comment": "x"})
    assert {e["code"] for e in refused.value.extra["missing"]} == {
        "criterion_unanswered",
        "evidence_missing",
    }


def test_the_actions_of_a_referent_on_an_empty_draft():
    dossier = factories.DossierFactory()
    referent = factories.member(dossier.collectivity)
    actions = lifecycle.dossier_actions(referent, dossier)
    assert actions.available == ["withdraw"]
    blocked = {o.name: o for o in actions.transitions if not o.verdict}
    assert list(blocked) == ["submit"]
    assert blocked["submit"].problems == [
        "Mandatory criteria without an answer: A-1.",
        "Mandatory criteria without clean evidence: A-1.",
    ]
    assert actions.answer and actions.upload
    assert not actions.assess and not actions.assign


def test_a_viewer_is_offered_nothing_and_told_why_not_for_edits():
    dossier = factories.DossierFactory()
    viewer = factories.member(dossier.collectivity, "viewer")
    actions = lifecycle.dossier_actions(viewer, dossier)
    assert actions.transitions == []
    assert not actions.answer.entitled
    assert actions.as_list() == []


def test_a_manager_is_offered_no_step_of_a_draft_but_sees_why_auditors_wait():
    dossier = factories.DossierFactory()
    actions = lifecycle.dossier_actions(factories.manager(), dossier)
    assert actions.transitions == []
    assert actions.as_list() == [
        {"name": "assign", "type": "edit", "allowed": False,
         "detail": "Auditors are assigned once the dossier is admissible.", "missing": []},
    ]  # fmt: skip


def test_a_step_of_the_other_kind_of_scheme_is_not_offered():
    campaign = factories.CampaignFactory(referential__scheme__kind="trophy")
    dossier = factories.DossierFactory(campaign=campaign)
    referent = factories.member(dossier.collectivity)
    names = {o.name for o in lifecycle.dossier_actions(referent, dossier).transitions}
    assert names == {"submit", "withdraw"}
    assert not {"refer_to_committee", "request_corrective_actions"} & {
        n for n, s in lifecycle.STEPS.items() if s.kind in (None, "trophy")
    }


def test_the_scheduler_runs_only_what_no_person_may():
    dossier = factories.DossierFactory()
    with pytest.raises(NotAllowed):
        perform_transition(dossier=dossier, name="withdraw", by=SYSTEM)
