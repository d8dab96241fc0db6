"""Every action posted from the dossier page, for the user allowed and for each refused one:
404 for who may not see the dossier, 403 for who sees it but may not act, 409 when the state
or a guard refuses, 400 for invalid input; the reason is shown on the page."""

import pytest

from audits.models import Assessment, Assignment
from certification.models import CriterionResponse
from documents import services as document_services
from documents.models import Document
from tests import factories as f
from tests.helpers import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    return f.DossierFactory()


def answer(client, dossier, code="A-1", htmx=False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    data = data or {"answer": "Notre stratégie", "self_points": 40}
    return client.post(f"/dossiers/{dossier.pk}/responses/{code}/", data, headers=headers)


def transition(client, dossier, name, **data):
    return client.post(f"/dossiers/{dossier.pk}/transitions/{name}/", data)


# -- Answers --------------------------------------------------------------------------------


def test_it_saves_an_answer_and_redirects_to_the_criterion(sign_in, dossier):
    response = answer(sign_in(f.member(dossier.collectivity, "contributor")), dossier)
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{dossier.pk}/#criterion-A-1"
    saved = CriterionResponse.objects.get(dossier=dossier)
    assert (saved.answer, saved.self_points) == ("Notre stratégie", 40)


def test_it_saves_an_answer_with_htmx_and_returns_its_status_only(sign_in, dossier):
    """The answer's box is not sent back (what is typed meanwhile stays): only its saved
    state, and the panels it changes, out of band (tests/web/test_workspace.py)."""
    response = answer(sign_in(f.member(dossier.collectivity)), dossier, htmx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("Answer to A-1 saved")
    assert 'id="criterion-A-1-meta" hx-swap-oob="true"' in html and "<html" not in html
    assert 'name="answer"' not in html


def test_it_refuses_an_answer_from_a_viewer_with_403(sign_in, dossier):
    response = answer(sign_in(f.member(dossier.collectivity, "viewer")), dossier)
    assert response.status_code == 403
    assert "You may not edit this dossier." in response.content.decode()
    assert not CriterionResponse.objects.exists()


def test_it_refuses_an_htmx_answer_from_a_viewer_in_place(sign_in, dossier):
    response = answer(sign_in(f.member(dossier.collectivity, "viewer")), dossier, htmx=True)
    assert response.status_code == 403
    assert 'role="alert">You may not edit this dossier.' in response.content.decode()


def test_it_refuses_an_answer_from_a_stranger_with_404(sign_in, dossier):
    assert answer(sign_in(f.UserFactory()), dossier).status_code == 404


def test_it_refuses_points_above_the_maximum_with_400(sign_in, dossier):
    client = sign_in(f.member(dossier.collectivity))
    response = answer(client, dossier, answer="Oui", self_points=500)
    assert response.status_code == 400
    assert "Points for A-1 go from 0 to 100." in response.content.decode()


def test_it_refuses_negative_points_in_the_form(sign_in, dossier):
    client = sign_in(f.member(dossier.collectivity))
    assert answer(client, dossier, answer="Oui", self_points=-1).status_code == 400


def test_it_refuses_an_answer_once_submitted_with_409(sign_in):
    dossier = f.DossierFactory(state="submitted")
    response = answer(sign_in(dossier.cast.referent), dossier)
    assert response.status_code == 409
    assert "only change while the dossier is a draft" in response.content.decode()


# -- Evidence -------------------------------------------------------------------------------


def upload(client, dossier, file=None, code="A-1"):
    return client.post(
        f"/dossiers/{dossier.pk}/documents/", {"criterion": code, "file": file or pdf()}
    )


def test_it_uploads_evidence(sign_in, dossier):
    response = upload(sign_in(f.member(dossier.collectivity, "contributor")), dossier)
    assert response.status_code == 302
    assert Document.objects.get(dossier=dossier).filename == "preuve.pdf"


def test_it_refuses_evidence_from_a_viewer_with_403(sign_in, dossier):
    assert upload(sign_in(f.member(dossier.collectivity, "viewer")), dossier).status_code == 403
    assert not Document.objects.exists()


def test_it_refuses_a_file_of_an_unaccepted_type_with_415(sign_in, dossier):
    client = sign_in(f.member(dossier.collectivity))
    response = upload(client, dossier, pdf("notes.txt", b"\x00\x01 binary, not text"))
    assert response.status_code == 415
    assert "Accepted files" in response.content.decode()


def test_it_refuses_a_post_without_a_file_with_400(sign_in, dossier):
    client = sign_in(f.member(dossier.collectivity))
    response = client.post(f"/dossiers/{dossier.pk}/documents/", {"criterion": "A-1"})
    assert response.status_code == 400


def test_it_redirects_a_download_to_a_short_lived_url(sign_in, dossier):
    referent = f.member(dossier.collectivity)
    upload(sign_in(referent), dossier)
    document = document_services.document_scan(document=Document.objects.get())
    response = sign_in(f.member(dossier.collectivity, "viewer")).get(
        f"/documents/{document.pk}/download/"
    )
    assert response.status_code == 302
    assert "X-Amz-Signature" in response["Location"]


def test_it_hides_a_download_from_a_stranger(sign_in, dossier):
    upload(sign_in(f.member(dossier.collectivity)), dossier)
    document = Document.objects.get()
    client = sign_in(f.UserFactory())
    assert client.get(f"/documents/{document.pk}/download/").status_code == 404
    assert client.get("/documents/999999/download/").status_code == 404


# -- Transitions ----------------------------------------------------------------------------


def test_it_submits_a_complete_dossier(sign_in):
    dossier = f.DossierFactory(ready_for="submitted")
    response = transition(sign_in(dossier.cast.referent), dossier, "submit")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "submitted"


def test_it_refuses_submit_to_a_contributor_with_403(sign_in):
    dossier = f.DossierFactory(ready_for="submitted")
    contributor = f.member(dossier.collectivity, "contributor")
    response = transition(sign_in(contributor), dossier, "submit")
    assert response.status_code == 403
    assert "You may not run “submit” on this dossier." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == "draft"


def test_it_refuses_submit_to_a_viewer_with_403(sign_in, dossier):
    response = transition(sign_in(f.member(dossier.collectivity, "viewer")), dossier, "submit")
    assert response.status_code == 403


def test_it_refuses_submit_to_a_stranger_with_404(sign_in, dossier):
    assert transition(sign_in(f.UserFactory()), dossier, "submit").status_code == 404


def test_it_refuses_an_incomplete_dossier_with_409_and_says_why(sign_in, dossier):
    response = transition(sign_in(f.member(dossier.collectivity)), dossier, "submit")
    assert response.status_code == 409
    assert "Mandatory criteria without an answer: A-1." in response.content.decode()


def test_it_refuses_a_transition_from_the_wrong_state_with_409(sign_in, dossier):
    response = transition(sign_in(f.manager()), dossier, "declare_admissible")
    assert response.status_code == 409


def test_it_answers_404_for_an_unknown_transition(sign_in, dossier):
    assert transition(sign_in(f.manager()), dossier, "teleport").status_code == 404


def test_it_requires_the_comment_to_return_a_dossier_for_completion(sign_in):
    dossier = f.DossierFactory(state="submitted")
    client = sign_in(dossier.cast.manager)
    response = transition(client, dossier, "return_for_completion")
    assert response.status_code == 409
    assert "Say what to complete (comment)." in response.content.decode()
    response = transition(client, dossier, "return_for_completion", comment="Le budget.")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "draft"


def test_it_refuses_an_unknown_recommendation_with_400(sign_in):
    dossier = f.DossierFactory(ready_for="report_issued")
    client = sign_in(dossier.cast.auditor)
    response = transition(client, dossier, "issue_report", recommendation="maybe")
    assert response.status_code == 400


# -- Assignments and assessments ------------------------------------------------------------


def assign(client, dossier, auditor="auditor", role="lead"):
    return client.post(f"/dossiers/{dossier.pk}/assignments/", {"auditor": auditor, "role": role})


def test_it_lets_a_manager_assign_an_auditor(sign_in):
    dossier, auditor = f.DossierFactory(state="admissible"), f.auditor()
    response = assign(sign_in(dossier.cast.manager), dossier, auditor.username)
    assert response.status_code == 302
    assert Assignment.objects.get(dossier=dossier).auditor == auditor


def test_it_refuses_an_assignment_by_a_referent_with_403(sign_in):
    dossier, auditor = f.DossierFactory(state="admissible"), f.auditor()
    assert assign(sign_in(dossier.cast.referent), dossier, auditor.username).status_code == 403


def test_it_refuses_someone_who_is_not_an_auditor_with_400(sign_in):
    dossier = f.DossierFactory(state="admissible")
    response = assign(sign_in(dossier.cast.manager), dossier, f.UserFactory().username)
    assert response.status_code == 400
    assert "is not an auditor" in response.content.decode()


def test_it_refuses_an_assignment_before_admissibility_with_409(sign_in, dossier):
    assert assign(sign_in(f.manager()), dossier, f.auditor().username).status_code == 409


def assess(client, dossier, code="A-1", **data):
    data = {"criterion": code, "rating": "conform", "points": 80, **data}
    return client.post(f"/dossiers/{dossier.pk}/assessments/", data)


def test_it_records_an_assessment_by_the_assigned_auditor(sign_in):
    dossier = f.DossierFactory(state="under_review")
    assert assess(sign_in(dossier.cast.auditor), dossier).status_code == 302
    assert Assessment.objects.get(dossier=dossier).points == 80


def test_it_refuses_an_assessment_by_a_referent_with_403(sign_in):
    dossier = f.DossierFactory(state="under_review")
    assert assess(sign_in(dossier.cast.referent), dossier).status_code == 403


def test_it_refuses_an_assessment_by_an_auditor_not_assigned_with_404(sign_in):
    dossier = f.DossierFactory(state="under_review")
    assert assess(sign_in(f.auditor()), dossier).status_code == 404


def test_it_refuses_an_unknown_rating_with_400(sign_in):
    dossier = f.DossierFactory(state="under_review")
    assert assess(sign_in(dossier.cast.auditor), dossier, rating="great").status_code == 400


# -- htmx: one criterion's block at a time --------------------------------------------------


def test_it_uploads_evidence_with_htmx_and_returns_the_criterions_evidence_only(sign_in, dossier):
    client = sign_in(f.member(dossier.collectivity))
    response = client.post(
        f"/dossiers/{dossier.pk}/documents/", {"criterion": "A-2", "file": pdf("plan.pdf")},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    # Only the evidence block: text typed in the criterion's answer box stays as it is.
    assert html.startswith('<section class="evidence" id="evidence-A-2"')
    assert "plan.pdf" in html and "version 1 of A-2" in html


def test_it_refuses_an_htmx_upload_in_place_with_its_status(sign_in, dossier):
    client = sign_in(f.member(dossier.collectivity))
    response = client.post(
        f"/dossiers/{dossier.pk}/documents/",
        {"criterion": "A-1", "file": pdf("notes.txt", b"\x00\x01 binary, not text")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 415
    assert 'role="alert">Accepted files' in response.content.decode()


def test_it_records_an_assessment_with_htmx(sign_in):
    dossier = f.DossierFactory(state="under_review")
    response = sign_in(dossier.cast.auditor).post(
        f"/dossiers/{dossier.pk}/assessments/",
        {"criterion": "A-2", "rating": "minor_nc", "points": 20, "comment": "Partiel"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Minor nonconformity" in response.content.decode()


def test_it_answers_an_htmx_post_on_an_unknown_criterion_with_its_status(sign_in, dossier):
    client = sign_in(f.member(dossier.collectivity))
    response = answer(client, dossier, code="Z-9", htmx=True)
    assert response.status_code == 400
    assert "Unknown criterion" in response.content.decode()


def test_a_committee_member_who_audited_the_dossier_is_not_offered_the_decision(sign_in):
    from certification import roles
    from tests.walk import audited_by

    member = f.in_group(f.committee_member(), roles.AUDITORS_GROUP)
    dossier = audited_by(member)
    award = f'action="/dossiers/{dossier.pk}/transitions/award/"'

    assert award in sign_in(dossier.cast.committee).get(f"/dossiers/{dossier.pk}/").content.decode()
    page = sign_in(member).get(f"/dossiers/{dossier.pk}/").content.decode()
    assert award not in page and "/transitions/refuse/" not in page
