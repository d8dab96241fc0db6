"""Who sees the dossier page, and what each role finds on it."""

import pytest

from audits import services as audit_services
from certification.services.transitions import perform_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    return f.DossierFactory()


def url(dossier):
    return f"/dossiers/{dossier.pk}/"


@pytest.mark.parametrize("role", ["referent", "contributor", "viewer"])
def test_it_shows_the_dossier_to_each_member(sign_in, dossier, role):
    response = sign_in(f.member(dossier.collectivity, role)).get(url(dossier))
    assert response.status_code == 200
    assert dossier.collectivity.name in response.content.decode()


def test_it_shows_every_dossier_to_a_manager(sign_in, dossier):
    assert sign_in(f.manager()).get(url(dossier)).status_code == 200


def test_it_hides_the_dossier_from_a_stranger(sign_in, dossier):
    response = sign_in(f.UserFactory()).get(url(dossier))
    assert response.status_code == 404
    assert dossier.collectivity.name not in response.content.decode()


def test_it_hides_an_unknown_dossier(sign_in):
    assert sign_in(f.UserFactory()).get("/dossiers/999999/").status_code == 404


def test_it_hides_the_dossier_from_an_auditor_not_assigned(sign_in, dossier):
    assert sign_in(f.auditor()).get(url(dossier)).status_code == 404


def test_it_hides_the_dossier_from_an_auditor_until_they_declare(sign_in):
    dossier, auditor = f.DossierFactory(state="admissible"), f.auditor()
    audit_services.assignment_create(
        dossier=dossier, auditor_username=auditor.username, role="lead", by=dossier.cast.manager
    )
    assert sign_in(auditor).get(url(dossier)).status_code == 404


def test_it_shows_the_dossier_to_its_declared_auditor(sign_in):
    dossier = f.DossierFactory(ready_for="under_review")
    page = sign_in(dossier.cast.auditor).get(url(dossier)).content.decode()
    assert "Start the review" in page


def test_it_gives_a_referent_answer_and_upload_forms_on_a_draft(sign_in, dossier):
    page = sign_in(f.member(dossier.collectivity)).get(url(dossier)).content.decode()
    assert f'hx-post="/dossiers/{dossier.pk}/responses/A-1/"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "Withdraw the dossier" in page


def test_it_says_what_is_missing_before_submitting(sign_in, dossier):
    page = sign_in(f.member(dossier.collectivity)).get(url(dossier)).content.decode()
    assert "Mandatory criteria without an answer: A-1." in page
    assert f"/dossiers/{dossier.pk}/transitions/submit/" not in page


def test_it_offers_submit_once_the_dossier_is_complete(sign_in):
    dossier = f.DossierFactory(ready_for="submitted")
    page = sign_in(dossier.cast.referent).get(url(dossier)).content.decode()
    assert f"/dossiers/{dossier.pk}/transitions/submit/" in page


def test_it_gives_a_viewer_no_form(sign_in, dossier):
    page = sign_in(f.member(dossier.collectivity, "viewer")).get(url(dossier)).content.decode()
    assert "/responses/" not in page
    assert "multipart/form-data" not in page
    assert "/transitions/" not in page


def test_it_does_not_offer_submit_to_a_contributor(sign_in):
    dossier = f.DossierFactory(ready_for="submitted")
    contributor = f.member(dossier.collectivity, "contributor")
    page = sign_in(contributor).get(url(dossier)).content.decode()
    assert "/responses/" in page
    assert "/transitions/" not in page


def test_it_lists_evidence_with_download_links(sign_in):
    dossier = f.DossierFactory(ready_for="submitted")
    document = dossier.documents.get()
    page = sign_in(dossier.cast.referent).get(url(dossier)).content.decode()
    assert f'href="/documents/{document.pk}/download/"' in page
    assert document.filename in page


def test_it_gives_a_manager_the_admissibility_actions_and_the_assignment_form(sign_in):
    dossier = f.DossierFactory(state="submitted")
    manager = dossier.cast.manager
    page = sign_in(manager).get(url(dossier)).content.decode()
    for name in ("return_for_completion", "declare_inadmissible", "declare_admissible"):
        assert f"/transitions/{name}/" in page
    assert f"/dossiers/{dossier.pk}/assignments/" not in page  # not admissible yet
    dossier = perform_transition(dossier=dossier, name="declare_admissible", by=manager)
    page = sign_in(manager).get(url(dossier)).content.decode()
    assert f"/dossiers/{dossier.pk}/assignments/" in page


def test_it_gives_the_assigned_auditor_an_assessment_form_per_criterion(sign_in):
    dossier = f.DossierFactory(state="under_review")
    page = sign_in(dossier.cast.auditor).get(url(dossier)).content.decode()
    assert page.count(f'action="/dossiers/{dossier.pk}/assessments/"') == 2
    assert 'name="question"' in page  # request_information


def test_it_shows_the_history_with_actor_and_comment(sign_in):
    collectivity = f.CollectivityFactory()
    referent = f.member(collectivity, username="martine")
    dossier = f.DossierFactory(collectivity=collectivity, state="submitted", referent=referent)
    manager = dossier.cast.manager
    perform_transition(
        dossier=dossier, name="return_for_completion", by=manager, comment="Il manque le budget."
    )
    page = sign_in(referent).get(url(dossier)).content.decode()
    assert "martine" in page and manager.username in page
    assert "Il manque le budget." in page


def test_a_label_dossier_offers_no_trophy_step(sign_in):
    dossier = f.DossierFactory(state="report_issued")
    page = sign_in(dossier.cast.manager).get(url(dossier)).content.decode()
    assert "refer_to_committee" in page
    assert "shortlist" not in page
