"""`assessment_record`: the dossier's auditors rate each criterion while it is under review;
a nonconformity opens (or re-grades) the criterion's finding, conformity closes it."""

import pytest

from audits import services
from audits.models import Assessment, Finding
from certification.errors import Conflict, InvalidInput, NotAllowed
from tests import factories as f

pytestmark = pytest.mark.django_db


def rate(dossier, by, criterion="A-1", rating="conform", points=80, comment=""):
    return services.assessment_record(
        dossier=dossier, criterion_code=criterion, rating=rating, points=points,
        comment=comment, by=by,
    )  # fmt: skip


@pytest.mark.parametrize("who", ["auditor", "co_auditor"])
def test_the_lead_or_a_co_auditor_rates_a_criterion(who):
    dossier = f.DossierFactory(state="under_review")
    auditor = f.someone(dossier, who)

    assessment = rate(dossier, auditor, points=100, comment="Stratégie suivie.")

    assert (assessment.criterion.code, assessment.rating, assessment.points) == (
        "A-1", "conform", 100,
    )  # fmt: skip
    assert (assessment.comment, assessment.assessor) == ("Stratégie suivie.", auditor)


@pytest.mark.parametrize("who", ["referent", "manager", "committee", "stranger"])
def test_it_refuses_anyone_who_does_not_audit_the_dossier(who):
    dossier = f.DossierFactory(state="under_review")
    with pytest.raises(NotAllowed):
        rate(dossier, f.someone(dossier, who))
    assert not Assessment.objects.exists()


def test_it_refuses_an_assessment_outside_the_review():
    dossier = f.DossierFactory(state="information_requested")
    with pytest.raises(Conflict):
        rate(dossier, dossier.cast.auditor)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"points": 101}, {"points": -1}, {"rating": "excellent"}, {"criterion": "XXX-9"},
     {"criterion": "B-1"}],  # B-1: a criterion of another referential
)  # fmt: skip
def test_it_refuses_bad_input(change):
    f.ReferentialFactory(criteria=[("B-1", True)])
    dossier = f.DossierFactory(state="under_review")
    with pytest.raises(InvalidInput):
        rate(dossier, dossier.cast.auditor, **change)
    assert not Assessment.objects.exists() and not Finding.objects.exists()


def test_it_accepts_the_maximum_points():
    dossier = f.DossierFactory(state="under_review")
    assert rate(dossier, dossier.cast.auditor, points=100).points == 100


def test_a_nonconformity_opens_a_finding_until_the_criterion_is_rated_conform():
    dossier = f.DossierFactory(state="under_review")
    auditor = dossier.cast.auditor

    rate(dossier, auditor, rating="minor_nc", points=50, comment="Suivi partiel.")
    finding = Finding.objects.get(dossier=dossier)
    assert (finding.severity, finding.status, finding.raised_by) == ("minor", "open", auditor)

    rate(dossier, auditor, rating="major_nc", points=0, comment="Aucun suivi.")
    finding.refresh_from_db()
    assert (finding.severity, finding.status, finding.description) == (
        "major", "open", "Aucun suivi.",
    )  # fmt: skip
    assert Assessment.objects.filter(dossier=dossier).count() == 1

    rate(dossier, auditor, rating="conform", points=100)
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.closed_at is not None
    assert Finding.objects.filter(dossier=dossier).count() == 1


def test_not_applicable_closes_the_finding_too():
    dossier = f.DossierFactory(state="under_review")
    rate(dossier, dossier.cast.auditor, rating="major_nc", points=0)
    rate(dossier, dossier.cast.auditor, rating="not_applicable", points=0)
    assert Finding.objects.get(dossier=dossier).status == "closed"
