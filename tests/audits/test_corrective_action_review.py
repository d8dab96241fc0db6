"""The auditor accepts a corrective action, which closes its major finding, or rejects it
with a reason, which leaves the finding open; the referral to the committee says which
findings are still open and who must act. Through the service, the API and the page."""

import pytest

from audits import services
from audits.models import CorrectiveAction
from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.services.transitions import perform_transition
from tests import factories as f
from tests.api.calls import as_
from tests.helpers import missing, refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def review(action, by, accepted, reason=""):
    return services.corrective_action_review(action=action, by=by, accepted=accepted, reason=reason)


def under_review_with_action():
    dossier = f.DossierFactory(state="corrective_actions", majors=["A-1"])
    people, finding = dossier.cast, dossier.findings.get()
    dossier = perform_transition(
        dossier=dossier, name="submit_corrective_actions", by=people.referent,
        data={"plans": {str(finding.pk): "Plan."}},
    )  # fmt: skip
    dossier.cast = people
    return dossier, finding, finding.corrective_actions.get()


def test_accepting_closes_the_finding_and_the_dossier_can_go_to_the_committee():
    dossier, finding, action = under_review_with_action()
    people = dossier.cast

    action = review(action, people.auditor, accepted=True)

    finding.refresh_from_db()
    assert (action.review, action.reviewed_by, finding.status) == ("accepted", people.auditor,
                                                                  "closed")  # fmt: skip
    assert finding.closed_at == action.reviewed_at
    dossier = perform_transition(
        dossier=dossier, name="issue_report", by=people.auditor, data={"recommendation": "award"}
    )
    dossier = perform_transition(dossier=dossier, name="refer_to_committee", by=people.manager)
    assert dossier.state == "committee_review"


def test_a_rejection_needs_a_reason_and_leaves_the_finding_open():
    dossier, finding, action = under_review_with_action()
    auditor = dossier.cast.auditor

    with pytest.raises(InvalidInput, match="Say why"):
        review(action, auditor, accepted=False, reason="  ")
    action.refresh_from_db()
    assert action.review == "pending"

    action = review(action, auditor, accepted=False, reason="Pas de calendrier.")
    finding.refresh_from_db()
    assert (action.review, action.review_reason, finding.status) == (
        "rejected", "Pas de calendrier.", "open",
    )  # fmt: skip
    with pytest.raises(Conflict, match="already reviewed"):
        review(action, auditor, accepted=True)


def test_the_referral_says_which_findings_are_open_and_who_must_act():
    dossier, finding, action = under_review_with_action()
    people = dossier.cast
    dossier = perform_transition(
        dossier=dossier, name="issue_report", by=people.auditor, data={"recommendation": "award"}
    )
    error = refused(Conflict, dossier, "refer_to_committee", people.manager)
    entry = error.extra["missing"][0]
    assert (entry["finding"], entry["next_to_act"]) == (finding.pk, "auditor")
    assert "awaits the auditor's review" in entry["detail"]

    CorrectiveAction.objects.filter(pk=action.pk).update(review="rejected")
    dossier.refresh_from_db()
    error = refused(Conflict, dossier, "refer_to_committee", people.manager)
    assert missing(error) == [("major_finding_open", "A-1")]
    assert error.extra["missing"][0]["next_to_act"] == "lead_auditor_or_manager"
    assert "was rejected: request a new one" in error.extra["missing"][0]["detail"]


@pytest.mark.parametrize("who", ["referent", "committee", "manager", "stranger", "other_auditor"])
def test_only_the_dossiers_auditors_review(who):
    dossier, finding, action = under_review_with_action()
    user = {
        "referent": dossier.cast.referent, "committee": dossier.cast.committee,
        "manager": dossier.cast.manager, "stranger": f.UserFactory(),
        "other_auditor": f.auditor(),
    }[who]  # fmt: skip
    with pytest.raises(NotAllowed):
        review(action, user, accepted=True)
    finding.refresh_from_db()
    assert finding.status == "open"


def test_a_review_happens_while_the_dossier_is_under_review_only():
    dossier, finding, action = under_review_with_action()
    perform_transition(
        dossier=dossier, name="issue_report", by=dossier.cast.auditor,
        data={"recommendation": "award"},
    )  # fmt: skip
    with pytest.raises(Conflict, match="while the dossier is under review"):
        review(action, dossier.cast.auditor, accepted=True)


# -- API and page ---------------------------------------------------------------------------


def test_the_api_reviews_and_shows_the_review_in_the_record(api):
    dossier, finding, action = under_review_with_action()
    url = f"/api/v1/corrective-actions/{action.pk}/review/"
    auditor = as_(api, dossier.cast.auditor)

    response = auditor.post(url, {"decision": "reject"}, format="json")
    assert response.status_code == 400 and "reason" in response.data["errors"]
    response = auditor.post(url, {"decision": "maybe"}, format="json")
    assert response.status_code == 400
    assert as_(api, dossier.cast.referent).post(url, {"decision": "accept"}).status_code == 403
    assert as_(api, f.UserFactory()).post(url, {"decision": "accept"}).status_code == 404

    auditor = as_(api, dossier.cast.auditor)  # one client: signed in as the auditor again
    response = auditor.post(url, {"decision": "accept"}, format="json")
    assert response.status_code == 200 and response.data["review"] == "accepted"
    record = auditor.get(f"/api/v1/dossiers/{dossier.pk}/").data["record"]
    assert record["findings"][0]["status"] == "closed"
    assert record["findings"][0]["corrective_actions"][0]["review"] == "accepted"


def test_the_page_offers_the_review_to_the_auditor_only(client):
    def sign_in(user):
        client.force_login(user)
        return client

    dossier, finding, action = under_review_with_action()
    url = f"/dossiers/{dossier.pk}/"
    review_url = f"/corrective-actions/{action.pk}/review/"
    assert review_url not in sign_in(dossier.cast.referent).get(url).content.decode()

    auditor = sign_in(dossier.cast.auditor)
    assert review_url in auditor.get(url).content.decode()
    response = auditor.post(review_url, {f"review-{action.pk}-decision": "reject"})
    assert response.status_code == 400
    assert "Say why the corrective action is rejected" in response.content.decode()

    response = auditor.post(review_url, {f"review-{action.pk}-decision": "reject",
                                         f"review-{action.pk}-reason": "Trop vague."})  # fmt: skip
    assert response.status_code == 302
    page = auditor.get(url).content.decode()
    assert "Trop vague." in page and "Rejected" in page
    assert review_url not in page
