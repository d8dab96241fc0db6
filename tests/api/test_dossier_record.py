"""The dossier's record in GET /api/v1/dossiers/{id}/ (report, decision, certificate,
findings, information requests), the list's filters, and GET collectivities/{id}/members/."""

import pytest

from certification.models import Collectivity
from tests.api.calls import anonymous, as_, run
from tests.demo import dossier_at

pytestmark = pytest.mark.django_db


def detail(api, who, dossier):
    response = as_(api, who).get(f"/api/v1/dossiers/{dossier.pk}/")
    assert response.status_code == 200, response.data
    return response.data


def test_a_draft_has_an_empty_record(api):
    record = detail(api, "niort", dossier_at("draft"))["record"]
    assert record == {
        "report": None,
        "issued_reports": [],
        "decision": None,
        "certificate": None,
        "findings": [],
        "information_requests": [],
    }


def test_the_referent_reads_the_report_decision_and_certificate(api):
    record = detail(api, "niort", dossier_at("awarded"))["record"]
    assert record["report"]["recommendation"] == "award"
    assert record["report"]["issued_by"] == "auditeur"
    assert (record["decision"]["outcome"], record["decision"]["decided_by"]) == ("award", "comite")
    assert record["certificate"]["certificate_number"].startswith("LPP-")
    assert record["certificate"]["status"] == "active"
    code = record["certificate"]["verification_code"]
    assert anonymous(api).get(f"/verify/{code}/").status_code == 200


def test_the_referent_answers_the_findings_named_in_the_record(api):
    dossier = dossier_at("corrective_actions", majors=["ENV-1"])
    findings = detail(api, "niort", dossier)["record"]["findings"]
    assert [(f["criterion"], f["severity"], f["status"]) for f in findings] == [
        ("ENV-1", "major", "open")
    ]

    plans = {str(findings[0]["id"]): "Audit énergétique du patrimoine en 2027."}
    response = run(api, "niort", dossier, "submit_corrective_actions", plans=plans)

    assert response.status_code == 200, response.data
    assert response.data["state"] == "under_review"


def test_the_information_requests_show_question_and_answer(api):
    dossier = dossier_at("information_requested")
    run(api, "niort", dossier, "provide_information", answer="Voir le rapport joint.")
    question = dossier.information_requests.get().question
    requests = detail(api, "auditeur", dossier)["record"]["information_requests"]
    assert [(r["question"], r["answer"], r["answered_by"]) for r in requests] == [
        (question, "Voir le rapport joint.", "niort")
    ]


# -- The list's filters -----------------------------------------------------------------


def test_the_list_filters_by_state_campaign_and_collectivity(api):
    draft = dossier_at("draft", referent="niort")
    submitted = dossier_at("submitted", referent="vertou")
    manager = as_(api, "gestionnaire")

    def ids(query):
        response = manager.get(f"/api/v1/dossiers/?{query}")
        assert response.status_code == 200, response.data
        return [d["id"] for d in response.data["results"]]

    assert ids("state=submitted") == [submitted.pk]
    assert ids(f"collectivity={draft.collectivity_id}") == [draft.pk]
    assert set(ids(f"campaign={draft.campaign_id}")) == {draft.pk, submitted.pk}
    assert ids(f"campaign={draft.campaign_id}&state=draft") == [draft.pk]


def test_a_filter_never_reveals_another_collectivity(api):
    other = dossier_at("draft", referent="vertou")
    response = as_(api, "niort").get(f"/api/v1/dossiers/?collectivity={other.collectivity_id}")
    assert response.data["count"] == 0


@pytest.mark.parametrize("query", ["state=flying", "campaign=abc", "collectivity=-1"])
def test_a_bad_filter_is_a_400(api, query):
    response = as_(api, "gestionnaire").get(f"/api/v1/dossiers/?{query}")
    assert response.status_code == 400
    assert response.data["detail"]


# -- Members ------------------------------------------------------------------------------


def test_a_referent_lists_their_collectivity_members(api):
    niort = Collectivity.objects.get(name="Niort")
    response = as_(api, "niort").get(f"/api/v1/collectivities/{niort.pk}/members/")
    assert response.status_code == 200
    assert response.data["results"] == [{"username": "niort", "role": "referent"}]


def test_members_are_hidden_from_other_collectivities_and_strangers(api, stranger):
    niort = Collectivity.objects.get(name="Niort")
    url = f"/api/v1/collectivities/{niort.pk}/members/"
    assert as_(api, "vertou").get(url).status_code == 404
    assert as_(api, stranger).get(url).status_code == 404
    assert as_(api, "auditeur").get(url).status_code == 404
    assert anonymous(api).get(url).status_code == 401
    assert as_(api, "gestionnaire").get(url).status_code == 200
