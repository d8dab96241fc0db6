"""The whole label path through the API, with the demo's accounts."""

import pytest

from certification.models import Award, Collectivity
from documents.tasks import scan_document
from tests.api.calls import transition
from tests.demo import label_campaign, user
from tests.helpers import pdf

pytestmark = pytest.mark.django_db


def open_dossier(api):
    niort = Collectivity.objects.get(name="Niort")
    response = api.as_user(user("niort")).post(
        "/api/v1/dossiers/",
        {"campaign": label_campaign().pk, "collectivity": niort.pk},
        format="json",
    )
    assert response.status_code == 201, response.data
    return response.data


def complete(api, dossier):
    for criterion in dossier["criteria"]:
        response = api.put(
            f"/api/v1/dossiers/{dossier['id']}/responses/{criterion['code']}/",
            {"answer": f"Notre démarche pour {criterion['code']}", "self_points": 50},
            format="json",
        )
        assert response.status_code == 200, response.data
        response = api.post(
            f"/api/v1/dossiers/{dossier['id']}/documents/",
            {"file": pdf(f"{criterion['code']}.pdf"), "criterion": criterion["code"]},
            format="multipart",
        )
        assert response.status_code == 201, response.data
        assert response.data["scan_status"] == "pending"
        scan_document.apply(args=[response.data["id"]])  # what the worker does after commit


def test_a_label_goes_from_application_to_certificate(api):
    dossier = open_dossier(api)
    pk = dossier["id"]
    assert dossier["state"] == "draft"
    assert "submit" not in dossier["available_transitions"]
    complete(api, dossier)
    detail = api.get(f"/api/v1/dossiers/{pk}/").data
    assert all(c["answered"] and c["documents"] == 1 for c in detail["criteria"])
    assert detail["available_transitions"] == ["submit", "withdraw"]

    assert transition(api, pk, "submit").data["state"] == "submitted"

    manager = api.as_user(user("gestionnaire"))
    assert transition(manager, pk, "declare_admissible").data["state"] == "admissible"
    response = manager.post(
        f"/api/v1/dossiers/{pk}/assignments/",
        {"auditor": "auditeur", "role": "lead"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assignment_id = response.data["id"]

    auditor = api.as_user(user("auditeur"))
    assert auditor.get(f"/api/v1/dossiers/{pk}/").status_code == 404  # not declared yet
    response = auditor.post(
        f"/api/v1/assignments/{assignment_id}/declare/", {"has_conflict": False}, format="json"
    )
    assert response.status_code == 200, response.data
    assert transition(auditor, pk, "start_review").data["state"] == "under_review"
    response = transition(auditor, pk, "request_information", question="Le rapport 2025 ?")
    assert response.data["state"] == "information_requested"

    referent = api.as_user(user("niort"))
    assert transition(referent, pk, "provide_information", answer="Ci-joint.").status_code == 200

    auditor = api.as_user(user("auditeur"))
    for criterion in detail["criteria"]:
        response = auditor.post(
            f"/api/v1/dossiers/{pk}/assessments/",
            {"criterion": criterion["code"], "rating": "conform", "points": 100},
            format="json",
        )
        assert response.status_code == 201, response.data
    response = transition(auditor, pk, "issue_report", recommendation="award", level="avance")
    assert response.data["state"] == "report_issued", response.data

    manager = api.as_user(user("gestionnaire"))
    assert transition(manager, pk, "refer_to_committee").data["state"] == "committee_review"

    committee = api.as_user(user("comite"))
    assert transition(committee, pk, "award").data["state"] == "awarded"

    award = Award.objects.get(dossier_id=pk)
    assert award.certificate_number.startswith("LPP-")
    assert award.level.code == "avance"
    assert award.valid_until > award.valid_from
    public = api.as_user(None).get(f"/api/v1/registry/{award.certificate_number}/")
    assert public.status_code == 200
    assert public.data["collectivity"] == "Niort"

    history = api.as_user(user("niort")).get(f"/api/v1/dossiers/{pk}/history/").data["results"]
    steps = [(h["transition"], h["actor"]) for h in history]
    assert steps == [
        ("submit", "niort"),
        ("declare_admissible", "gestionnaire"),
        ("start_review", "auditeur"),
        ("request_information", "auditeur"),
        ("provide_information", "niort"),
        ("issue_report", "auditeur"),
        ("refer_to_committee", "gestionnaire"),
        ("award", "comite"),
    ]
