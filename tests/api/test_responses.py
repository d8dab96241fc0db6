"""PUT /api/v1/dossiers/{id}/responses/{criterion_code}/: the self-assessment. Who reaches
it and the shape of its answers; the rules: tests/certification/test_responses.py."""

import pytest

from certification.models import CriterionResponse
from tests.api.calls import anonymous, as_
from tests.demo import dossier_at

pytestmark = pytest.mark.django_db


def put(api, who, dossier, code, **data):
    data.setdefault("answer", "Une stratégie adoptée en conseil municipal.")
    return as_(api, who).put(
        f"/api/v1/dossiers/{dossier.pk}/responses/{code}/", data, format="json"
    )


def assert_nothing_written(response, status):
    assert response.status_code == status, response.data
    assert response.data["detail"]
    assert not CriterionResponse.objects.exists()


@pytest.mark.parametrize("who", ["niort", "contributor"])
def test_the_referent_and_a_contributor_answer_a_criterion(api, who, request):
    who = request.getfixturevalue(who) if who == "contributor" else who
    dossier = dossier_at("draft")
    response = put(api, who, dossier, "GOV-1", self_points=120)
    assert response.status_code == 200, response.data
    assert (response.data["criterion"], response.data["self_points"]) == ("GOV-1", 120)
    response = put(api, who, dossier, "GOV-1", answer="Révisée.", self_points=None)
    assert response.status_code == 200, response.data
    saved = CriterionResponse.objects.get()
    assert (saved.answer, saved.self_points) == ("Révisée.", None)


def test_it_refuses_a_viewer_editing_an_answer(api, viewer):
    assert_nothing_written(put(api, viewer, dossier_at("draft"), "GOV-1"), 403)


@pytest.mark.parametrize("who", ["gestionnaire"])
def test_it_refuses_a_manager_editing_an_answer(api, who):
    assert_nothing_written(put(api, who, dossier_at("draft"), "GOV-1"), 403)


def test_it_refuses_an_anonymous_user(api):
    dossier = dossier_at("draft")
    response = anonymous(api).put(
        f"/api/v1/dossiers/{dossier.pk}/responses/GOV-1/", {"answer": "Oui."}
    )
    assert_nothing_written(response, 401)


@pytest.mark.parametrize("who", ["stranger", "lille", "auditeur"])
def test_it_hides_the_dossier_from_those_with_no_part_in_it(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    assert_nothing_written(put(api, who, dossier_at("draft"), "GOV-1"), 404)


def test_it_refuses_an_answer_once_the_dossier_is_submitted(api):
    dossier = dossier_at("submitted")
    before = dict(CriterionResponse.objects.values_list("criterion__code", "answer"))
    response = put(api, "niort", dossier, "GOV-1", answer="Changée après coup.")
    assert response.status_code == 409, response.data
    assert dict(CriterionResponse.objects.values_list("criterion__code", "answer")) == before


def test_it_refuses_the_assigned_auditor_editing_an_answer(api):
    dossier = dossier_at("under_review")
    count = CriterionResponse.objects.count()
    response = put(api, "auditeur", dossier, "GOV-1")
    assert response.status_code == 403, response.data
    assert CriterionResponse.objects.count() == count


def test_it_refuses_an_unknown_criterion(api):
    assert_nothing_written(put(api, "niort", dossier_at("draft"), "XXX-9"), 400)


@pytest.mark.parametrize("points", [151, "beaucoup"])
def test_it_refuses_points_that_are_not_a_number_up_to_the_maximum(api, points):
    """GOV-1 is worth 150 points at most."""
    assert_nothing_written(put(api, "niort", dossier_at("draft"), "GOV-1", self_points=points), 400)


def test_it_requires_an_answer_field(api):
    dossier = dossier_at("draft")
    response = as_(api, "niort").put(
        f"/api/v1/dossiers/{dossier.pk}/responses/GOV-1/", {"self_points": 10}, format="json"
    )
    assert_nothing_written(response, 400)


def test_it_refuses_malformed_json(api):
    dossier = dossier_at("draft")
    response = as_(api, "niort").put(
        f"/api/v1/dossiers/{dossier.pk}/responses/GOV-1/",
        '{"answer": "Oui"',
        content_type="application/json",
    )
    assert_nothing_written(response, 400)


def test_the_dossier_shows_which_criteria_are_answered(api):
    dossier = dossier_at("draft")
    put(api, "niort", dossier, "SRV-1", answer="Délais publiés chaque trimestre.")
    put(api, "niort", dossier, "SRV-2", answer="")
    criteria = as_(api, "niort").get(f"/api/v1/dossiers/{dossier.pk}/").data["criteria"]
    answered = {c["code"] for c in criteria if c["answered"]}
    assert answered == {"SRV-1"}


def test_an_answer_of_only_spaces_does_not_count_as_answered(api):
    dossier = dossier_at("draft")
    assert put(api, "niort", dossier, "GOV-1", answer="   \n ").status_code == 200
    criteria = as_(api, "niort").get(f"/api/v1/dossiers/{dossier.pk}/").data["criteria"]
    assert not next(c for c in criteria if c["code"] == "GOV-1")["answered"]
    response = as_(api, "niort").post(f"/api/v1/dossiers/{dossier.pk}/transitions/submit/")
    assert response.status_code == 409
    assert "GOV-1" in response.data["detail"]
