"""Submission and admissibility through `perform_transition`: submit's guard (the campaign
is open, every mandatory criterion answered and backed by clean evidence), its effect, and
the manager's admissibility decisions with their required input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification.errors import Conflict
from certification.services.transitions import perform_transition
from documents.models import Document
from tests import factories as f
from tests.helpers import missing, refused

pytestmark = pytest.mark.django_db


def draft(**kwargs):
    """A draft on a referential with two mandatory criteria (A-1, A-3) and an optional one."""
    referential = f.ReferentialFactory(criteria=[("A-1", True), ("A-2", False), ("A-3", True)])
    return f.DossierFactory(campaign=f.CampaignFactory(referential=referential), **kwargs)


# -- submit ---------------------------------------------------------------------------------


def test_it_submits_a_complete_dossier_and_stamps_the_submission():
    dossier = draft(ready_for="submitted")

    dossier = perform_transition(dossier=dossier, name="submit", by=dossier.cast.referent)

    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    # Stamped in the same write as the state, at the moment its history entry records.
    entry = dossier.history.get(transition="submit")
    assert dossier.submitted_at == entry.at == dossier.updated_at


def test_it_names_each_mandatory_criterion_without_an_answer_or_evidence():
    dossier = draft()
    referent = f.member(dossier.collectivity)

    error = refused(Conflict, dossier, "submit", referent)

    assert missing(error) == [
        ("criterion_unanswered", "A-1"), ("criterion_unanswered", "A-3"),
        ("evidence_missing", "A-1"), ("evidence_missing", "A-3"),
    ]  # fmt: skip
    assert "A-1" in error.detail and "A-3" in error.detail and "A-2" not in error.detail


def test_it_names_only_the_mandatory_criteria_without_evidence():
    dossier = draft(ready_for="submitted")
    Document.objects.filter(dossier=dossier, criterion__code="A-3").delete()

    error = refused(Conflict, dossier, "submit", dossier.cast.referent)

    assert missing(error) == [("evidence_missing", "A-3")]


def test_it_does_not_count_evidence_that_was_not_cleared():
    dossier = draft(ready_for="submitted")
    Document.objects.filter(dossier=dossier, criterion__code="A-1").update(scan_status="pending")

    error = refused(Conflict, dossier, "submit", dossier.cast.referent)

    assert missing(error) == [("evidence_missing", "A-1"), ("evidence_not_clean", "A-1")]


def test_it_does_not_count_an_empty_answer():
    dossier = draft(ready_for="submitted")
    dossier.responses.filter(criterion__code="A-1").update(answer="")

    error = refused(Conflict, dossier, "submit", dossier.cast.referent)

    assert missing(error) == [("criterion_unanswered", "A-1")]


def test_it_refuses_a_submission_once_the_campaign_has_closed():
    dossier = draft(ready_for="submitted")
    dossier.campaign.closes_at = timezone.now() - timedelta(minutes=1)
    dossier.campaign.save(update_fields=["closes_at"])

    error = refused(Conflict, dossier, "submit", dossier.cast.referent)

    assert missing(error) == [("campaign_closed", None)]


# -- Admissibility --------------------------------------------------------------------------


@pytest.mark.parametrize("comment", [None, "", "   "])
def test_it_requires_a_comment_to_return_a_dossier_for_completion(comment):
    dossier = f.DossierFactory(state="submitted")
    data = {} if comment is None else {"comment": comment}

    error = refused(Conflict, dossier, "return_for_completion", dossier.cast.manager, **data)

    assert missing(error) == [("input_missing", "comment")]


def test_it_returns_a_dossier_for_completion_to_a_draft():
    dossier = f.DossierFactory(state="submitted")

    dossier = perform_transition(
        dossier=dossier, name="return_for_completion", by=dossier.cast.manager,
        comment="Ajoutez le budget.",
    )  # fmt: skip

    assert dossier.state == "draft"
    assert dossier.history.order_by("id").last().comment == "Ajoutez le budget."


def test_it_requires_a_reason_to_declare_a_dossier_inadmissible():
    dossier = f.DossierFactory(state="submitted")
    manager = dossier.cast.manager

    error = refused(Conflict, dossier, "declare_inadmissible", manager)
    assert missing(error) == [("input_missing", "comment")]

    dossier = perform_transition(
        dossier=dossier, name="declare_inadmissible", by=manager, comment="Hors champ."
    )
    assert dossier.state == "inadmissible"


def test_it_declares_a_submitted_dossier_admissible():
    dossier = f.DossierFactory(state="submitted")
    dossier = perform_transition(
        dossier=dossier, name="declare_admissible", by=dossier.cast.manager
    )
    assert dossier.state == "admissible"
