"""The whole label path clicked through in the UI, with the demo's accounts: every step is
a form posted the way the browser posts it."""

import re

import pytest
from django.contrib.auth import get_user_model

from audits.models import Assignment, Finding
from certification.models import Award, Campaign, Collectivity, Dossier
from certification.templatetags.ui import person
from documents.models import Document
from documents.tasks import scan_document
from tests.demo import user
from tests.helpers import pdf

pytestmark = pytest.mark.django_db


def as_user(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def state(pk):
    return Dossier.objects.get(pk=pk).state


def click(client, pk, name, **data):
    response = client.post(f"/dossiers/{pk}/transitions/{name}/", data)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == f"/dossiers/{pk}/"
    return response


def open_and_complete(client):
    client = as_user(client, "niort")
    niort = Collectivity.objects.get(name="Niort")
    campaign = Campaign.objects.get(scheme__kind="label")
    response = client.post("/dossiers/new/", {"collectivity": niort.pk, "campaign": campaign.pk})
    assert response.status_code == 302, response.content.decode()
    pk = int(re.fullmatch(r"/dossiers/(\d+)/", response["Location"]).group(1))
    page = client.get(f"/dossiers/{pk}/").content.decode()
    assert "Submit the dossier" in page and "disabled" in page  # blocked: nothing answered
    codes = list(Dossier.objects.get(pk=pk).referential.criteria.values_list("code", flat=True))
    for code in codes:
        response = client.post(
            f"/dossiers/{pk}/responses/{code}/",
            {"answer": f"Notre démarche pour {code}", "self_points": 50},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.content.decode()
        assert f'id="criterion-{code}-meta" hx-swap-oob="true"' in response.content.decode()
        response = client.post(
            f"/dossiers/{pk}/documents/", {"criterion": code, "file": pdf(f"{code}.pdf")}
        )
        assert response.status_code == 302, response.content.decode()
    for document in Document.objects.filter(dossier_id=pk):
        scan_document.apply(args=[document.pk])  # what the worker does after each upload
    return pk, codes


def test_a_label_goes_from_application_to_certificate_in_the_ui(client, demo_data):
    pk, codes = open_and_complete(client)
    click(client, pk, "submit")
    assert state(pk) == "submitted"

    manager = as_user(client, "gestionnaire")
    click(manager, pk, "declare_admissible")
    response = manager.post(f"/dossiers/{pk}/assignments/", {"auditor": "auditeur", "role": "lead"})
    assert response.status_code == 302, response.content.decode()

    auditor = as_user(client, "auditeur")
    assert auditor.get(f"/dossiers/{pk}/").status_code == 404  # not declared yet
    assignment = Assignment.objects.get(dossier_id=pk)
    assert f"/assignments/{assignment.pk}/declare/" in auditor.get("/").content.decode()
    response = auditor.post(f"/assignments/{assignment.pk}/declare/", {"has_conflict": "no"})
    assert response["Location"] == f"/dossiers/{pk}/"
    click(auditor, pk, "start_review")
    click(auditor, pk, "request_information", question="Le rapport 2025 ?")
    assert state(pk) == "information_requested"

    referent = as_user(client, "niort")
    click(referent, pk, "provide_information", answer="Ci-joint.")
    assert state(pk) == "under_review"

    auditor = as_user(client, "auditeur")
    for code in codes:
        response = auditor.post(
            f"/dossiers/{pk}/assessments/", {"criterion": code, "rating": "conform", "points": 100}
        )
        assert response.status_code == 302, response.content.decode()
    click(auditor, pk, "issue_report", recommendation="award", level="avance", comment="Bien.")
    assert state(pk) == "report_issued"

    click(as_user(client, "gestionnaire"), pk, "refer_to_committee")
    committee = as_user(client, "comite")
    click(committee, pk, "award", level="")
    assert state(pk) == "awarded"

    award = Award.objects.get(dossier_id=pk)
    assert award.certificate_number.startswith("LPP-") and award.level.code == "avance"
    page = as_user(client, "niort").get(f"/dossiers/{pk}/").content.decode()
    assert award.certificate_number in page
    assert "Le rapport 2025 ?" in page and "Ci-joint." in page
    history = re.findall(r"<td>([^<]+)</td>\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*<td>([^<]+)</td>",
                         page)  # fmt: skip
    assert [actor for _label, actor in history] == [  # people by their display name
        person(user(name)) for name in ("niort", "gestionnaire", "auditeur", "auditeur", "niort",
                                        "auditeur", "gestionnaire", "comite")
    ]  # fmt: skip

    client.logout()
    public = client.get(f"/verify/{award.verification_code}/")
    assert public.status_code == 200
    assert "Niort" in public.content.decode()
    assert award.certificate_number in client.get("/registry/").content.decode()


def test_corrective_actions_are_planned_per_major_finding_in_the_ui(client, demo_data):
    pk, codes = open_and_complete(client)
    click(client, pk, "submit")
    manager = as_user(client, "gestionnaire")
    click(manager, pk, "declare_admissible")
    manager.post(f"/dossiers/{pk}/assignments/", {"auditor": "auditeur", "role": "lead"})
    auditor = as_user(client, "auditeur")
    assignment = Assignment.objects.get(dossier_id=pk)
    auditor.post(f"/assignments/{assignment.pk}/declare/", {"has_conflict": "no"})
    click(auditor, pk, "start_review")
    for code in codes:
        rating = "major_nc" if code == codes[0] else "conform"
        auditor.post(
            f"/dossiers/{pk}/assessments/",
            {"criterion": code, "rating": rating, "points": 10, "comment": "À revoir"},
        )
    click(auditor, pk, "issue_report", recommendation="defer")
    click(auditor, pk, "request_corrective_actions")
    assert state(pk) == "corrective_actions"

    referent = as_user(client, "niort")
    finding = Finding.objects.get(dossier_id=pk, severity="major")
    page = referent.get(f"/dossiers/{pk}/").content.decode()
    assert f'name="plan_{finding.pk}"' in page
    click(referent, pk, "submit_corrective_actions", **{f"plan_{finding.pk}": "Nouveau plan."})
    assert state(pk) == "under_review"
    assert finding.corrective_actions.get().plan == "Nouveau plan."
