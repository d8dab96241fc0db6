"""The dossier workspace: criteria by chapter with their progress, answers saved in place,
and after every in-page change the actions panel, the progress and the blocked reasons sent
again out of band, so that the next step is offered without a reload."""

import re

import pytest
from django.utils import timezone

from audits import services as audit_services
from audits.models import Assignment
from certification.models import Chapter, Criterion, CriterionResponse, Level, Referential
from documents import services as document_services
from documents.tasks import scan_document
from tests import factories as f
from tests.helpers import pdf

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def page(client, dossier) -> str:
    response = client.get(f"/dossiers/{dossier.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def oob(html: str, element_id: str) -> str:
    """The element sent out of band with `element_id`, up to the next one sent so."""
    tag = re.compile(rf'<[^>]*\bid="{re.escape(element_id)}"[^>]*hx-swap-oob="true"[^>]*>')
    found = tag.search(html)
    assert found, f"#{element_id} is not sent out of band"
    following = re.compile(r'<[^>]*hx-swap-oob="true"[^>]*>').search(html, found.end())
    return html[found.start() : following.start() if following else len(html)]


@pytest.fixture
def referential():
    """Two chapters: ENV (ENV-1 mandatory, SDG 7 and 13; ENV-2, SDG 13) and SOC (SOC-1
    mandatory, SDG 10), each criterion out of 100; Bronze from 1, Gold from 500."""
    referential = Referential.objects.create(scheme=f.SchemeFactory(), version=1, title="R")
    env = Chapter.objects.create(referential=referential, code="ENV", title="Environment", order=1)
    soc = Chapter.objects.create(referential=referential, code="SOC", title="Social", order=2)
    for chapter, code, mandatory, goals in [
        (env, "ENV-1", True, [7, 13]), (env, "ENV-2", False, [13]), (soc, "SOC-1", True, [10]),
    ]:  # fmt: skip
        Criterion.objects.create(
            referential=referential, chapter=chapter, code=code, title=f"Title {code}",
            max_points=100, mandatory=mandatory, sdg_goals=goals,
        )  # fmt: skip
    Level.objects.create(referential=referential, code="bronze", name="Bronze", min_score=1,
                         max_score=499)  # fmt: skip
    Level.objects.create(referential=referential, code="gold", name="Gold", min_score=500,
                         max_score=1000)  # fmt: skip
    referential.published_at = timezone.now()
    referential.save(update_fields=["published_at"])
    return referential


def draft_on(referential):
    dossier = f.DossierFactory(campaign=f.CampaignFactory(referential=referential))
    return dossier, f.member(dossier.collectivity)


def clean_file(dossier, code, by):
    document = document_services.document_upload(
        dossier=dossier, criterion_code=code, upload=pdf(), by=by
    )
    scan_document.apply(args=[document.pk])  # what the worker does
    return document


# -- Chapters and progress ------------------------------------------------------------------


def test_it_groups_the_criteria_by_chapter_with_a_table_of_contents(sign_in, referential):
    dossier, referent = draft_on(referential)
    html = page(sign_in(referent), dossier)
    assert 'href="#chapter-ENV"' in html and 'href="#chapter-SOC"' in html
    env, soc = html.index('id="chapter-ENV"'), html.index('id="chapter-SOC"')
    assert env < html.index('id="criterion-ENV-1"') < html.index('id="criterion-ENV-2"') < soc
    assert soc < html.index('id="criterion-SOC-1"')


def test_it_counts_the_answers_and_the_clean_mandatory_evidence(sign_in, referential):
    dossier, referent = draft_on(referential)
    for code in ("ENV-1", "SOC-1"):
        criterion = dossier.referential.criteria.get(code=code)
        CriterionResponse.objects.create(
            dossier=dossier, criterion=criterion, answer="Oui", updated_by=referent
        )
    clean_file(dossier, "ENV-1", referent)
    html = page(sign_in(referent), dossier)
    summary = html[html.index('class="progress-summary"') :]
    assert re.search(r"2/3 answered,\s+1/2 mandatory evidence clean", summary)
    toc = html[html.index('class="toc"') :]
    assert re.search(r"ENV Environment</a>\s*<small[^>]*>1/2 answered", toc)
    assert re.search(r"SOC Social</a>\s*<small[^>]*>1/1 answered", toc)


def test_the_panel_says_what_happens_next(sign_in, referential):
    dossier, referent = draft_on(referential)
    assert "its referent then submits the dossier" in page(sign_in(referent), dossier)


# -- Answers saved in place -----------------------------------------------------------------


def test_the_answer_form_saves_itself_without_swapping_the_box(sign_in, referential):
    dossier, referent = draft_on(referential)
    html = page(sign_in(referent), dossier)
    at = html.index(f'hx-post="/dossiers/{dossier.pk}/responses/ENV-1/"')
    form = html[html.rindex("<form", 0, at) : at + 400]
    assert 'hx-trigger="input changed delay:1s, submit"' in form
    assert 'hx-target="#answer-ENV-1-status"' in form and "data-autosave" in form
    assert 'id="answer-ENV-1-status" role="status" aria-live="polite"' in html


def test_saving_the_last_missing_answer_offers_submit_out_of_band(sign_in):
    dossier = f.DossierFactory(ready_for="submitted")  # answered and backed by clean evidence
    dossier.responses.filter(criterion__code="A-1").update(answer="")
    client = sign_in(dossier.cast.referent)
    assert "Mandatory criteria without an answer: A-1." in page(client, dossier)

    response = client.post(f"/dossiers/{dossier.pk}/responses/A-1/", {"answer": "Voilà"},
                           headers=HTMX)  # fmt: skip

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("Answer to A-1 saved")
    actions = oob(html, "actions-panel")
    assert f'action="/dossiers/{dossier.pk}/transitions/submit/"' in actions
    assert "Not possible yet" not in actions and "without an answer" not in actions
    assert re.search(r"1/2 answered,\s+1/1 mandatory evidence clean", oob(html, "progress-panel"))
    assert "Answered" in oob(html, "criterion-A-1-meta")
    assert 'name="answer"' not in html  # the box being typed in is left alone


def test_a_refused_answer_says_why_at_the_field(sign_in, referential):
    dossier, referent = draft_on(referential)
    response = sign_in(referent).post(
        f"/dossiers/{dossier.pk}/responses/ENV-1/", {"answer": "Oui", "self_points": -1},
        headers=HTMX,
    )  # fmt: skip
    assert response.status_code == 400
    errors = oob(response.content.decode(), "id_ENV-1_self_points_errors")
    assert 'role="alert"' in errors and "greater than or equal to 0" in errors
    assert not CriterionResponse.objects.filter(dossier=dossier).exists()


def test_an_answer_to_another_collectivitys_dossier_is_not_found(sign_in, referential):
    dossier, _referent = draft_on(referential)
    other, other_referent = draft_on(referential)
    for who in (other_referent, f.UserFactory()):
        response = sign_in(who).post(f"/dossiers/{dossier.pk}/responses/ENV-1/",
                                     {"answer": "x"}, headers=HTMX)  # fmt: skip
        assert response.status_code == 404
    assert not CriterionResponse.objects.filter(dossier=dossier).exists()


def test_a_viewer_gets_no_answer_form_and_is_refused(sign_in, referential):
    dossier, _referent = draft_on(referential)
    viewer = f.member(dossier.collectivity, "viewer")
    assert "data-autosave" not in page(sign_in(viewer), dossier)
    response = sign_in(viewer).post(f"/dossiers/{dossier.pk}/responses/ENV-1/", {"answer": "x"},
                                    headers=HTMX)  # fmt: skip
    assert response.status_code == 403


# -- Uploads and scans ----------------------------------------------------------------------


def test_an_upload_swaps_the_evidence_only_and_refreshes_the_panels(sign_in, referential):
    dossier, referent = draft_on(referential)
    response = sign_in(referent).post(
        f"/dossiers/{dossier.pk}/documents/", {"criterion": "ENV-1", "file": pdf()}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section class="evidence" id="evidence-ENV-1"')
    assert 'name="answer"' not in html  # the answer typed beside it stays as it is
    assert "progress-summary" in oob(html, "progress-panel")
    assert "without clean evidence" in oob(html, "actions-panel")  # still being scanned


def test_a_settled_scan_refreshes_the_panels_and_a_pending_one_does_not(sign_in):
    dossier = f.DossierFactory(ready_for="submitted")
    referent = dossier.cast.referent
    dossier.documents.all().delete()
    document = document_services.document_upload(
        dossier=dossier, criterion_code="A-1", upload=pdf(), by=referent
    )
    client = sign_in(referent)
    pending = client.get(f"/documents/{document.pk}/status/").content.decode()
    assert "hx-swap-oob" not in pending

    scan_document.apply(args=[document.pk])
    settled = client.get(f"/documents/{document.pk}/status/").content.decode()

    assert f'action="/dossiers/{dossier.pk}/transitions/submit/"' in oob(settled, "actions-panel")
    assert "1 clean document" in oob(settled, "criterion-A-1-meta")
    assert "hx-trigger" not in settled  # polling stops


# -- Assessments ----------------------------------------------------------------------------


def test_the_auditors_panel_refreshes_after_assessing(sign_in):
    dossier = f.DossierFactory(state="under_review")
    client = sign_in(dossier.cast.auditor)
    url = f"/dossiers/{dossier.pk}/assessments/"

    first = client.post(url, {"criterion": "A-1", "rating": "conform", "points": 80}, headers=HTMX)
    assert "Criteria not assessed yet: A-2." in oob(first.content.decode(), "actions-panel")
    last = client.post(url, {"criterion": "A-2", "rating": "conform", "points": 50}, headers=HTMX)

    html = last.content.decode()
    actions = oob(html, "actions-panel")
    assert f'action="/dossiers/{dossier.pk}/transitions/issue_report/"' in actions
    assert "not assessed yet" not in actions
    assert re.search(r"2/2 assessed", oob(html, "progress-panel"))


# -- Dialogs, next steps --------------------------------------------------------------------


def test_an_action_asking_for_a_comment_asks_in_a_labelled_dialog(sign_in, referential):
    dossier, referent = draft_on(referential)
    html = page(sign_in(referent), dossier)
    dialog = html[html.index('<dialog class="action-dialog" id="dialog-withdraw"') :]
    dialog = dialog[: dialog.index("</dialog>")]
    assert 'aria-labelledby="dialog-withdraw-title"' in dialog
    assert '<label for="id_withdraw_comment">' in dialog and "<textarea" in dialog
    assert 'data-opens="dialog-withdraw"' in html


def test_a_refused_transition_opens_its_dialog_again_with_the_error_at_the_field(sign_in):
    dossier = f.DossierFactory(state="submitted")
    response = sign_in(dossier.cast.manager).post(
        f"/dossiers/{dossier.pk}/transitions/declare_inadmissible/", {"comment": ""}
    )
    assert response.status_code in (400, 409)
    html = response.content.decode()
    dialog = html[html.index('id="dialog-declare_inadmissible"') :]
    dialog = dialog[: dialog.index("</dialog>")]
    assert "data-show" in dialog and 'class="errors"' in dialog


def test_after_submitting_the_page_says_who_acts_next(sign_in):
    dossier = f.DossierFactory(ready_for="submitted")
    client = sign_in(dossier.cast.referent)
    response = client.post(f"/dossiers/{dossier.pk}/transitions/submit/", follow=True)
    assert "The programme managers check admissibility next." in response.content.decode()


# -- Auditors chosen from a list ------------------------------------------------------------


def test_the_auditor_picker_lists_auditors_by_name_with_their_workload(sign_in):
    dossier = f.DossierFactory(state="admissible")
    busy = f.auditor(first_name="Anne", last_name="Martin")
    for _ in range(2):
        other = f.DossierFactory(state="admissible")
        audit_services.assignment_create(dossier=other, auditor_username=busy.username,
                                         role="lead", by=other.cast.manager)  # fmt: skip
    not_an_auditor = f.UserFactory(first_name="Paul", last_name="Durand")
    html = page(sign_in(dossier.cast.manager), dossier)
    picker = html[html.index('<select name="auditor"') :]
    picker = picker[: picker.index("</select>")]
    assert (
        f'<option value="{busy.username}">Anne Martin ({busy.username}) — 2 open assignments'
        in picker
    )
    assert "Paul Durand" not in picker and not_an_auditor.username not in picker
    assert '<input type="text" name="auditor"' not in html


def test_the_auditor_picker_refuses_a_non_auditor_at_the_field(sign_in):
    dossier = f.DossierFactory(state="admissible")
    member = f.UserFactory()
    response = sign_in(dossier.cast.manager).post(
        f"/dossiers/{dossier.pk}/assignments/", {"auditor": member.username, "role": "lead"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    field = html[
        html.index('<select name="auditor"') - 400 : html.index('<select name="auditor"') + 2000
    ]
    assert f"“{member.username}” is not an auditor: choose one from the list." in field
    assert not Assignment.objects.filter(dossier=dossier).exists()


def test_the_auditor_picker_assigns_the_auditor_chosen(sign_in):
    dossier = f.DossierFactory(state="admissible")
    auditor = f.auditor(first_name="Anne", last_name="Martin")
    response = sign_in(dossier.cast.manager).post(
        f"/dossiers/{dossier.pk}/assignments/", {"auditor": auditor.username, "role": "lead"},
        follow=True,
    )  # fmt: skip
    assert Assignment.objects.get(dossier=dossier).auditor == auditor
    assert "Anne Martin is assigned" in response.content.decode()


def test_only_managers_assign(sign_in):
    dossier = f.DossierFactory(state="admissible")
    auditor = f.auditor()
    for who, status in [(dossier.cast.referent, 403), (f.UserFactory(), 404)]:
        response = sign_in(who).post(f"/dossiers/{dossier.pk}/assignments/",
                                     {"auditor": auditor.username, "role": "lead"})  # fmt: skip
        assert response.status_code == status
    assert not Assignment.objects.filter(dossier=dossier).exists()


def test_ending_an_assignment_asks_for_confirmation(sign_in):
    dossier = f.DossierFactory(state="admissible")
    auditor = f.auditor(first_name="Anne", last_name="Martin")
    assignment = audit_services.assignment_create(
        dossier=dossier, auditor_username=auditor.username, role="lead", by=dossier.cast.manager
    )
    html = page(sign_in(dossier.cast.manager), dossier)
    dialog = html[
        html.index(f'<dialog class="action-dialog" id="end-assignment-{assignment.pk}"') :
    ]
    dialog = dialog[: dialog.index("</dialog>")]
    assert "End the assignment of Anne Martin?" in dialog
    assert f'action="/assignments/{assignment.pk}/end/"' in dialog
    assert "Anne Martin — Lead auditor" in html
