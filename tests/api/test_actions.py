"""GET /api/v1/dossiers/{id}/: what this user may do now, and what blocks the rest; a 409
says what to fix as objects; any error, even an unexpected one, is JSON with `detail`."""

import pytest

from certification import selectors
from certification.services import dossiers as dossier_services
from certification.services.transitions import perform_transition
from documents import services as document_services
from tests import factories
from tests.helpers import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    dossier = factories.DossierFactory()
    return dossier, factories.member(dossier.collectivity)


def test_the_detail_shows_blocked_actions_with_their_reasons(api, draft):
    dossier, referent = draft
    response = api.as_user(referent).get(f"/api/v1/dossiers/{dossier.pk}/")
    assert response.status_code == 200
    assert response.data["available_transitions"] == ["withdraw"]
    actions = {a["name"]: a for a in response.data["actions"]}
    assert set(actions) == {"submit", "withdraw", "answer", "upload"}
    assert actions["submit"]["allowed"] is False
    assert actions["submit"]["type"] == "transition"
    assert [m["code"] for m in actions["submit"]["missing"]] == [
        "criterion_unanswered",
        "evidence_missing",
    ]
    assert actions["answer"] == {
        "name": "answer", "type": "edit", "allowed": True, "detail": "", "missing": [],
    }  # fmt: skip


def test_a_viewer_sees_no_action(api, draft):
    dossier, _referent = draft
    viewer = factories.member(dossier.collectivity, "viewer")
    response = api.as_user(viewer).get(f"/api/v1/dossiers/{dossier.pk}/")
    assert response.data["actions"] == []
    assert response.data["available_transitions"] == []


def test_a_guard_refusal_lists_what_is_missing_as_objects(api, draft):
    dossier, referent = draft
    response = api.as_user(referent).post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/submit/", {}, format="json"
    )
    assert response.status_code == 409
    assert response.data["missing"][0] == {
        "code": "criterion_unanswered", "criterion": "A-1", "detail": "A-1 has no answer.",
    }  # fmt: skip
    assert "A-1" in response.data["detail"]


def test_a_step_that_is_not_the_users_is_refused_before_its_input_is_read(api, draft):
    dossier, _referent = draft
    response = api.as_user(factories.manager()).post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/withdraw/", {"comment": ["x"]}, format="json"
    )
    assert response.status_code == 403


def test_a_required_input_left_empty_is_named_in_missing(api, draft):
    dossier, referent = draft
    dossier_services.response_save(
        dossier=dossier, criterion_code="A-1", answer="Oui.", self_points=None, by=referent
    )
    document = document_services.document_upload(
        dossier=dossier, criterion_code="A-1", upload=pdf(), by=referent
    )
    document_services.document_scan(document=document)  # the worker's part
    perform_transition(dossier=dossier, name="submit", by=referent)
    response = api.as_user(factories.manager()).post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/declare_inadmissible/", {}, format="json"
    )
    assert response.status_code == 409
    assert response.data["missing"] == [
        {"code": "input_missing", "field": "comment",
         "detail": "A reason is required (comment)."},
    ]  # fmt: skip


def test_an_input_of_the_wrong_type_is_refused_with_400(api, draft):
    dossier, referent = draft
    response = api.as_user(referent).post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/withdraw/", {"comment": ["x"]}, format="json"
    )
    assert response.status_code == 400
    assert response.data["detail"]


def test_an_unexpected_error_answers_json_with_a_request_id(api, draft, monkeypatch, caplog):
    dossier, referent = draft

    def broken(dossier):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "dossier_record", broken)
    response = api.as_user(referent).get(f"/api/v1/dossiers/{dossier.pk}/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.data["request_id"] in response.data["detail"]
    assert response.data["request_id"] in caplog.text


def test_the_schema_shows_each_transitions_own_fields(api):
    schema = api.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert set(components["QuestionInputRequest"]["properties"]) == {
        "comment",
        "question",
        "criteria",
        "due_date",
    }
    assert components["QuestionInputRequest"]["required"] == ["question"]
    # The report's level is computed from the assessments, not an input.
    assert set(components["ReportInputRequest"]["properties"]) == {"comment", "recommendation"}
    assert "plans" in components["CorrectiveActionsInputRequest"]["properties"]
    one_of = components["AnyTransitionInputRequest"]["oneOf"]
    assert {"$ref": "#/components/schemas/ReasonInputRequest"} in one_of
