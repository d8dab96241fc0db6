"""The committee's transitions through `perform_transition`: referral once no major finding
is open, the decision (an impartial committee member's; awarding creates the certificate),
and the certificate's suspension, reinstatement and revocation, each with its reason."""

import pytest

from audits import services as audit_services
from certification import roles, selectors
from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.models import Award, Decision
from certification.services.transitions import perform_transition
from tests import factories as f
from tests.helpers import missing, refused
from tests.walk import audited_by

pytestmark = pytest.mark.django_db


# -- refer_to_committee ---------------------------------------------------------------------


def test_an_open_major_finding_keeps_the_dossier_from_the_committee():
    dossier = f.DossierFactory(state="report_issued", majors=["A-1"])
    finding = dossier.findings.get()

    error = refused(Conflict, dossier, "refer_to_committee", dossier.cast.manager)

    assert error.extra["missing"][0]["finding"] == finding.pk
    assert missing(error) == [("major_finding_open", "A-1")]


def test_a_referral_opens_the_dossier_to_the_committee():
    dossier = f.DossierFactory(state="report_issued")
    committee = dossier.cast.committee
    assert not roles.can_view(committee, dossier)

    dossier = perform_transition(
        dossier=dossier, name="refer_to_committee", by=dossier.cast.manager
    )

    assert dossier.state == "committee_review"
    assert roles.can_view(committee, dossier)
    assert dossier.referred_at is not None


def test_the_committee_lists_every_referred_dossier_and_keeps_them_after_its_decision():
    """The committee sees by a rule, not by rows: every member, even one who joins later,
    lists the dossiers referred to it, decided or not; nobody else gains them."""
    pending = f.DossierFactory(state="committee_review")
    decided = f.DossierFactory(state="awarded")
    f.DossierFactory(state="report_issued")  # not referred
    newcomer, stranger = f.committee_member(), f.UserFactory()

    listed = selectors.dossiers_visible_to(newcomer)

    assert set(listed) == {pending, decided}
    assert "referred_at" in str(listed.query) and "UNION" not in str(listed.query)
    assert not selectors.dossiers_visible_to(stranger).exists()
    assert not roles.can_view(stranger, decided)
    assert selectors.dossiers_to_decide(newcomer, 10) == [pending]
    assert selectors.dossiers_to_decide(stranger, 10) == []


def test_a_committee_member_who_also_holds_rows_lists_both():
    referred = f.DossierFactory(state="committee_review")
    own = f.DossierFactory()
    member = f.member(own.collectivity)
    f.in_group(member, roles.COMMITTEE_GROUP)
    f.DossierFactory()  # neither

    assert set(selectors.dossiers_visible_to(member)) == {referred, own}


def test_a_dossier_goes_to_the_committee_once_its_major_finding_is_closed():
    dossier = f.DossierFactory(state="corrective_actions", majors=["A-1"])
    cast, finding = dossier.cast, dossier.findings.get()
    dossier = perform_transition(
        dossier=dossier, name="submit_corrective_actions", by=cast.referent,
        data={"plans": {str(finding.pk): "Plan."}},
    )  # fmt: skip
    audit_services.assessment_record(
        dossier=dossier, criterion_code="A-1", rating="conform", points=100, comment="",
        by=cast.auditor,
    )  # fmt: skip
    perform_transition(
        dossier=dossier, name="issue_report", by=cast.auditor, data={"recommendation": "award"}
    )

    dossier = perform_transition(dossier=dossier, name="refer_to_committee", by=cast.manager)

    assert dossier.state == "committee_review"


# -- The decision ---------------------------------------------------------------------------


def assert_no_decision(dossier):
    assert not Decision.objects.filter(dossier=dossier).exists()
    assert not Award.objects.filter(dossier=dossier).exists()


def test_a_committee_member_awards_the_certificate_at_the_reports_level():
    dossier = f.DossierFactory(state="committee_review")
    committee = dossier.cast.committee

    dossier = perform_transition(dossier=dossier, name="award", by=committee, comment="Bravo.")

    assert dossier.state == "awarded"
    decision = Decision.objects.get(dossier=dossier)
    assert (decision.outcome, decision.decided_by, decision.reasons) == (
        "award", committee, "Bravo.",
    )  # fmt: skip
    award = Award.objects.get(dossier=dossier)
    assert award.level == dossier.report.level
    assert award.status == "active"
    assert award.certificate_number == f"{dossier.campaign.scheme.certificate_prefix}-" + (
        f"{award.valid_from.year}-{award.pk:06d}"
    )
    assert award.valid_until > award.valid_from


def test_it_refuses_an_unknown_level():
    dossier = f.DossierFactory(state="committee_review")
    refused(InvalidInput, dossier, "award", dossier.cast.committee, level="platine")
    assert_no_decision(dossier)


def test_it_requires_reasons_to_refuse_and_records_them():
    dossier = f.DossierFactory(state="committee_review")
    committee = dossier.cast.committee

    error = refused(Conflict, dossier, "refuse", committee)
    assert missing(error) == [("input_missing", "comment")]
    assert_no_decision(dossier)

    perform_transition(dossier=dossier, name="refuse", by=committee, comment="Pilotage faible.")
    decision = Decision.objects.get(dossier=dossier)
    assert (decision.outcome, decision.reasons, decision.decided_by) == (
        "refuse", "Pilotage faible.", committee,
    )  # fmt: skip
    assert not Award.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize("name", ["award", "refuse"])
def test_a_committee_member_who_audited_the_dossier_may_not_decide_it(name):
    member = f.in_group(f.committee_member(), roles.AUDITORS_GROUP)
    dossier = audited_by(member)

    refused(NotAllowed, dossier, name, member, comment="Non.")
    assert_no_decision(dossier)
    perform_transition(dossier=dossier, name=name, by=dossier.cast.committee, comment="Oui.")


# -- The certificate: suspend, reinstate, revoke --------------------------------------------


def award_status(dossier) -> str:
    return Award.objects.get(dossier=dossier).status


@pytest.mark.parametrize(("state", "name"), [("awarded", "suspend"), ("awarded", "revoke"),
                                             ("suspended", "reinstate")])  # fmt: skip
def test_it_requires_a_reason_to_change_a_certificate(state, name):
    dossier = f.DossierFactory(state=state)
    status = award_status(dossier)

    error = refused(Conflict, dossier, name, dossier.cast.committee, comment=" ")

    assert missing(error) == [("input_missing", "comment")]
    assert award_status(dossier) == status


@pytest.mark.parametrize("who", ["committee", "manager"])
def test_a_committee_member_or_a_manager_suspends_and_reinstates(who):
    dossier = f.DossierFactory(state="awarded")
    by = f.someone(dossier, who)

    dossier = perform_transition(dossier=dossier, name="suspend", by=by, comment="Surveillance.")
    assert (dossier.state, award_status(dossier)) == ("suspended", "suspended")

    dossier = perform_transition(dossier=dossier, name="reinstate", by=by, comment="Audit passé.")
    assert (dossier.state, award_status(dossier)) == ("awarded", "active")


@pytest.mark.parametrize("state", ["awarded", "suspended"])
def test_a_committee_member_revokes_a_certificate(state):
    dossier = f.DossierFactory(state=state)
    dossier = perform_transition(
        dossier=dossier, name="revoke", by=dossier.cast.committee, comment="Fraude avérée."
    )
    assert (dossier.state, award_status(dossier)) == ("revoked", "revoked")
