"""`perform_transition`, the one entry point that changes a dossier's state: it refuses what
is unknown, not possible now, of the other kind of scheme, or not the user's to run, and
leaves the dossier as it was; it records what it ran."""

import pytest

from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.models import Dossier
from certification.services.transitions import perform_transition
from tests import factories as f
from tests.helpers import missing, refused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["explode", "Submit", "submit2", "withdraw.json", "delete", "save", "full_clean",
             "refresh_from_db"],
)  # fmt: skip
def test_it_refuses_a_name_that_is_not_a_transition(name):
    dossier = f.DossierFactory(state="submitted")
    refused(InvalidInput, dossier, name, dossier.cast.referent)
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_it_refuses_a_transition_not_possible_from_the_current_state():
    dossier = f.DossierFactory()
    error = refused(Conflict, dossier, "declare_admissible", f.manager())
    assert missing(error) == []


def test_it_records_each_transition_with_its_actor_comment_and_chained_hash():
    dossier = f.DossierFactory(state="submitted")
    manager = dossier.cast.manager

    perform_transition(
        dossier=dossier, name="return_for_completion", by=manager, comment="Ajoutez GOV-2."
    )

    submitted, returned = dossier.history.order_by("id")
    assert (returned.transition, returned.source, returned.target) == (
        "return_for_completion", "submitted", "draft",
    )  # fmt: skip
    assert (returned.actor, returned.comment) == (manager, "Ajoutez GOV-2.")
    assert returned.previous_hash == submitted.hash
    assert returned.hash == returned.compute_hash()


# -- Label-only and trophy-only steps ---------------------------------------------------------


def trophy_report():
    campaign = f.CampaignFactory(
        referential=f.ReferentialFactory(scheme=f.SchemeFactory(kind="trophy"))
    )
    return f.DossierFactory(campaign=campaign, state="report_issued", majors=["A-1"])


@pytest.mark.parametrize("name", ["refer_to_committee", "request_corrective_actions"])
def test_a_trophy_dossier_takes_no_label_step(name):
    dossier = trophy_report()
    refused(Conflict, dossier, name, dossier.cast.manager)


@pytest.mark.parametrize("name", ["shortlist", "not_shortlist"])
def test_a_label_dossier_takes_no_trophy_step(name):
    dossier = f.DossierFactory(state="report_issued")
    refused(Conflict, dossier, name, dossier.cast.manager)


@pytest.mark.parametrize("name", ["shortlist", "not_shortlist"])
def test_a_manager_decides_which_trophy_dossiers_are_shortlisted(name):
    dossier = trophy_report()
    refused(NotAllowed, dossier, name, dossier.cast.auditor)
    dossier = perform_transition(dossier=dossier, name=name, by=dossier.cast.manager)
    assert dossier.state == ("shortlisted" if name == "shortlist" else "not_shortlisted")


# -- withdraw -------------------------------------------------------------------------------


BEFORE_A_DECISION = ["draft", "submitted", "admissible", "under_review", "information_requested",
                     "report_issued", "corrective_actions", "committee_review"]  # fmt: skip


@pytest.mark.parametrize("state", BEFORE_A_DECISION)
def test_the_referent_withdraws_a_dossier_before_a_decision(state):
    dossier = f.DossierFactory(state=state, majors=["A-1"] if state == "corrective_actions" else [])
    dossier = perform_transition(dossier=dossier, name="withdraw", by=dossier.cast.referent)
    assert dossier.state == "withdrawn"


@pytest.mark.parametrize("state", ["awarded", "refused", "inadmissible", "withdrawn"])
def test_it_refuses_a_withdrawal_after_a_decision(state):
    dossier = f.DossierFactory(state=state)
    refused(Conflict, dossier, "withdraw", dossier.cast.referent)


# -- Who runs what: everyone else is refused (403), the dossier left as it was ----------------

# (how the dossier is built, the transition, who may not run it)
NOT_THEIRS = [
    ({"ready_for": "submitted"}, "submit", ["contributor", "viewer", "manager", "auditor"]),
    ({"state": "submitted"}, "return_for_completion", ["referent"]),
    ({"state": "submitted"}, "declare_inadmissible", ["referent"]),
    ({"state": "submitted"}, "declare_admissible", ["referent", "auditor"]),
    ({"ready_for": "under_review"}, "start_review", ["co_auditor", "manager", "referent"]),
    ({"state": "under_review"}, "request_information", ["referent", "manager"]),
    ({"state": "information_requested"}, "provide_information", ["auditor", "contributor"]),
    ({"ready_for": "report_issued"}, "issue_report", ["co_auditor", "manager", "referent"]),
    ({"state": "report_issued", "majors": ["A-1"]}, "request_corrective_actions",
     ["referent"]),
    ({"state": "corrective_actions", "majors": ["A-1"]}, "submit_corrective_actions",
     ["auditor", "contributor"]),
    ({"state": "report_issued"}, "refer_to_committee", ["auditor", "referent"]),
    ({"state": "committee_review"}, "award", ["auditor", "manager", "referent"]),
    ({"state": "committee_review"}, "refuse", ["auditor", "manager", "referent"]),
    ({"state": "submitted"}, "withdraw", ["contributor", "manager"]),
    ({"state": "awarded"}, "suspend", ["referent", "auditor"]),
    ({"state": "suspended"}, "reinstate", ["referent", "auditor"]),
    ({"state": "awarded"}, "revoke", ["manager", "referent"]),
    ({"state": "awarded"}, "expire", ["committee", "manager"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("build", "name", "who"),
    [(build, name, who) for build, name, people in NOT_THEIRS for who in people],
    ids=[f"{name}-{who}" for _build, name, people in NOT_THEIRS for who in people],
)
def test_it_refuses_a_transition_to_whoever_it_is_not_for(build, name, who):
    dossier = f.DossierFactory(**build)
    refused(NotAllowed, dossier, name, f.someone(dossier, who))


@pytest.mark.parametrize("name", ["submit", "suspend"])  # with its campaign; and its scheme
def test_the_dossier_it_reads_is_the_one_the_orm_reads(name, django_assert_num_queries):
    from certification.lifecycle import STEPS
    from certification.services.transitions import _read

    dossier = f.DossierFactory(state="submitted")
    Dossier.objects.filter(pk=dossier.pk).update(submitted_at="2026-03-01T10:30:00+01:00")
    orm = Dossier.objects.select_related("campaign__scheme").get(pk=dossier.pk)
    read = _read(dossier.pk, STEPS[name])
    with django_assert_num_queries(0):  # what it joined came with it
        pairs = [(read, orm), (read.campaign, orm.campaign)]
        if name == "suspend":  # a step with an effect
            pairs.append((read.campaign.scheme, orm.campaign.scheme))
    for ours, theirs in pairs:
        for field in type(theirs)._meta.concrete_fields:
            assert getattr(ours, field.attname) == getattr(theirs, field.attname), field
    assert read.submitted_at.utcoffset() is not None  # an aware date, on SQLite too
    assert not read._state.adding and read._state.db == orm._state.db
    with pytest.raises(Dossier.DoesNotExist):
        _read(dossier.pk + 1000, STEPS[name])
