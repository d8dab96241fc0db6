"""tests/walk.py, which every test uses to bring a dossier to a state: it reaches each state
a person can lead a dossier to, through the services, and says why it cannot reach others."""

import pytest

from certification.models import Dossier
from tests import factories as f
from tests.walk import WalkError, path, walk

pytestmark = pytest.mark.django_db

S = Dossier.State
LABEL_STATES = [
    S.DRAFT, S.SUBMITTED, S.INADMISSIBLE, S.ADMISSIBLE, S.UNDER_REVIEW,
    S.INFORMATION_REQUESTED, S.REPORT_ISSUED, S.COMMITTEE_REVIEW, S.AWARDED, S.REFUSED,
    S.SUSPENDED, S.REVOKED, S.WITHDRAWN,
]  # fmt: skip
TROPHY_STATES = [S.SHORTLISTED, S.NOT_SHORTLISTED]


def trophy_dossier(**kwargs):
    scheme = f.SchemeFactory(kind="trophy")
    campaign = f.CampaignFactory(referential=f.ReferentialFactory(scheme=scheme))
    return f.DossierFactory(campaign=campaign, **kwargs)


@pytest.mark.parametrize("state", LABEL_STATES)
def test_it_brings_a_label_dossier_to_each_state(state):
    dossier = f.DossierFactory(state=state)

    dossier.refresh_from_db()
    assert dossier.state == state
    history = list(dossier.history.order_by("id").values_list("target", flat=True))
    assert history[-1:] == ([state] if state != S.DRAFT else [])


@pytest.mark.parametrize("state", TROPHY_STATES)
def test_it_brings_a_trophy_dossier_to_each_state(state):
    dossier = trophy_dossier(state=state)
    dossier.refresh_from_db()
    assert dossier.state == state


def test_it_takes_the_shortest_path_and_withdraws_only_when_asked():
    dossier = f.DossierFactory()
    assert [t.target for t in path(dossier, S.UNDER_REVIEW)] == [
        S.SUBMITTED, S.ADMISSIBLE, S.UNDER_REVIEW,
    ]  # fmt: skip
    assert [t.target for t in path(dossier, S.WITHDRAWN)] == [S.WITHDRAWN]


def test_it_runs_each_step_as_the_person_whose_role_it_is():
    dossier = f.DossierFactory(state=S.SUSPENDED)
    cast = dossier.cast
    actors = list(dossier.history.order_by("id").values_list("actor", flat=True))
    assert actors == [
        cast.referent.pk, cast.manager.pk, cast.auditor.pk, cast.auditor.pk, cast.manager.pk,
        cast.committee.pk, cast.committee.pk,
    ]  # fmt: skip


def test_it_reaches_corrective_actions_through_a_major_finding():
    dossier = f.DossierFactory(state=S.CORRECTIVE_ACTIONS, majors=["A-1"])
    assert list(dossier.findings.values_list("criterion__code", "severity")) == [("A-1", "major")]


def test_it_says_why_it_cannot_go_where_no_person_leads():
    with pytest.raises(WalkError, match="No path"):
        f.DossierFactory(state=S.EXPIRED)
    with pytest.raises(WalkError, match="No path"):
        trophy_dossier(state=S.AWARDED)


def test_it_says_which_guard_it_cannot_meet():
    dossier = f.DossierFactory(state=S.REPORT_ISSUED)
    with pytest.raises(WalkError, match="no_major_finding"):
        walk(dossier, S.CORRECTIVE_ACTIONS, dossier.cast)


def test_it_stops_one_step_short_with_the_guard_met():
    dossier = f.DossierFactory(ready_for=S.SUBMITTED)
    assert dossier.state == S.DRAFT
    assert dossier.documents.filter(criterion__code="A-1", scan_status="clean").exists()
    assert dossier.responses.filter(criterion__code="A-1").exclude(answer="").exists()
