"""GET|POST /api/v1/dossiers/, GET /api/v1/dossiers/{id}/ and its `available_transitions`,
GET /api/v1/dossiers/{id}/history/. Who reaches them and the shape of their answers; the
rules of opening a dossier: tests/certification/test_dossiers.py."""

import pytest

from audits import services as audit_services
from certification.models import Dossier
from certification.services.transitions import perform_transition
from tests import factories
from tests.api.calls import anonymous, as_
from tests.demo import cast, collectivity_of, dossier_at, label_campaign, trophy_campaign, user
from tests.walk import ready_for

pytestmark = pytest.mark.django_db


def create(api, who, **data):
    return as_(api, who).post("/api/v1/dossiers/", data, format="json")


def niort_label(**extra):
    return {"campaign": label_campaign().pk, "collectivity": collectivity_of("niort").pk, **extra}


def assert_nothing_created(response, status, count=0):
    assert response.status_code == status, response.data
    assert response.data["detail"]
    assert Dossier.objects.count() == count


# -- POST /api/v1/dossiers/ ---------------------------------------------------------------------


def test_the_referent_opens_a_dossier(api):
    response = create(api, "niort", **niort_label())
    assert response.status_code == 201, response.data
    assert response.data["state"] == "draft"
    assert response.data["available_transitions"] == ["withdraw"]
    assert [c["code"] for c in response.data["criteria"]] == [
        "GOV-1", "GOV-2", "SRV-1", "SRV-2", "ENV-1", "ENV-2",
    ]  # fmt: skip
    assert all(not c["answered"] and c["documents"] == 0 for c in response.data["criteria"])


def test_it_refuses_an_anonymous_user_opening_a_dossier(api):
    assert_nothing_created(
        anonymous(api).post("/api/v1/dossiers/", niort_label(), format="json"), 401
    )


def test_it_refuses_the_referent_of_another_collectivity(api):
    assert_nothing_created(create(api, "lille", **niort_label()), 404)


def test_it_refuses_a_stranger(api, stranger):
    assert_nothing_created(create(api, stranger, **niort_label()), 404)


@pytest.mark.parametrize("who", ["contributor", "viewer"])
def test_it_refuses_a_member_who_is_not_the_referent(api, who, request):
    assert_nothing_created(create(api, request.getfixturevalue(who), **niort_label()), 403)


def test_it_refuses_a_manager_opening_a_dossier_for_a_collectivity(api):
    """Managers see every collectivity but apply for none: 403, not 404."""
    assert_nothing_created(create(api, "gestionnaire", **niort_label()), 403)


def test_it_refuses_a_campaign_that_is_not_open(api):
    campaign = factories.CampaignFactory(closed=True)
    response = create(api, "niort", **niort_label(campaign=campaign.pk))
    assert_nothing_created(response, 409)


def test_it_refuses_a_second_active_dossier_for_the_same_campaign(api):
    dossier_at("submitted")
    assert_nothing_created(create(api, "niort", **niort_label()), 409, count=1)


@pytest.mark.parametrize(
    "data",
    [
        {"collectivity": 1},
        {"campaign": "label", "collectivity": 1},
        {"campaign": 999999, "collectivity": None},
    ],
)
def test_it_refuses_missing_or_malformed_fields(api, data):
    assert_nothing_created(create(api, "niort", **data), 400)


def test_it_refuses_an_unknown_campaign(api):
    assert_nothing_created(create(api, "niort", **niort_label(campaign=999999)), 400)


def test_it_refuses_malformed_json(api):
    response = as_(api, "niort").post(
        "/api/v1/dossiers/", '{"campaign": 1,', content_type="application/json"
    )
    assert_nothing_created(response, 400)


@pytest.mark.parametrize(
    "category, says",
    [
        ("plus-100k", "“Plus de 100 000 habitants” is for 100,001 inhabitants or more; Niort "
                      "has 59,000. The category that fits: “De 20 000 à 100 000 habitants”."),
        ("cadre-de-vie", "Unknown category “cadre-de-vie” for this campaign."),
    ],
)  # fmt: skip
def test_a_trophy_dossier_needs_a_category_that_fits_the_population(api, category, says):
    response = create(api, "niort", **niort_label(campaign=trophy_campaign().pk, category=category))
    assert_nothing_created(response, 400)
    assert response.data["detail"] == says
    assert response.data["errors"] == {"category": [says]}


def test_a_trophy_dossier_takes_the_category_of_its_population(api):
    data = niort_label(campaign=trophy_campaign().pk, category="20k-100k")
    response = create(api, "niort", **data)
    assert response.status_code == 201, response.data
    assert response.data["category"] == "20k-100k"


def test_without_a_category_a_trophy_dossier_takes_the_only_one_that_fits(api):
    response = create(api, "niort", **niort_label(campaign=trophy_campaign().pk))
    assert response.status_code == 201, response.data
    assert response.data["category"] == "20k-100k"


def test_without_a_category_it_asks_to_choose_among_those_that_fit(api):
    campaign = trophy_campaign()
    campaign.categories.create(code="toutes", name="Toutes", min_population=0)
    response = create(api, "niort", **niort_label(campaign=campaign.pk))
    assert_nothing_created(response, 400)
    assert response.data["errors"]["category"] == [
        "Several categories admit a population of 59,000: choose one of “Toutes”, "
        "“De 20 000 à 100 000 habitants”."
    ]


def test_without_a_fitting_category_it_gives_the_population_and_the_ranges(api):
    campaign = trophy_campaign()
    campaign.categories.filter(code="20k-100k").update(max_population=50000)
    response = create(api, "niort", **niort_label(campaign=campaign.pk))
    assert_nothing_created(response, 400)
    assert response.data["errors"]["category"] == [
        "No category of this campaign admits a population of 59,000 (Niort). The categories: "
        "“De 20 000 à 100 000 habitants”: 20,000 to 50,000 inhabitants; “Plus de 100 000 "
        "habitants”: 100,001 inhabitants or more; “Moins de 20 000 habitants”: up to 19,999 "
        "inhabitants."
    ]


# -- GET /api/v1/dossiers/ and /api/v1/dossiers/{id}/ ----------------------------------------


def test_the_list_shows_only_the_dossiers_a_user_may_see(api, stranger, contributor):
    niort = dossier_at("draft")
    lille = dossier_at("draft", referent="lille")

    def listed(who):
        response = as_(api, who).get("/api/v1/dossiers/")
        assert response.status_code == 200
        assert set(response.data) >= {"results", "next", "count"}
        return {d["id"] for d in response.data["results"]}

    assert listed("niort") == {niort.pk}
    assert listed(contributor) == {niort.pk}
    assert listed("lille") == {lille.pk}
    assert listed("gestionnaire") == {niort.pk, lille.pk}
    assert listed(stranger) == set()
    assert listed("auditeur") == set()
    assert listed("comite") == set()


def test_the_list_requires_authentication(api):
    response = anonymous(api).get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert response.data["detail"]
    assert response.has_header("WWW-Authenticate")


@pytest.mark.parametrize("who", ["niort", "contributor", "viewer", "gestionnaire"])
def test_the_collectivity_and_managers_see_the_dossier(api, who, request):
    who = request.getfixturevalue(who) if who in ("contributor", "viewer") else who
    dossier = dossier_at("draft")
    response = as_(api, who).get(f"/api/v1/dossiers/{dossier.pk}/")
    assert response.status_code == 200, response.data
    assert response.data["id"] == dossier.pk


@pytest.mark.parametrize("who", ["stranger", "lille", "auditeur", "comite"])
def test_it_hides_the_dossier_from_those_with_no_part_in_it(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    dossier = dossier_at("report_issued")
    if who == "auditeur":  # the report's author: here, an auditor not assigned to it
        who = "auditeur2"
    response = as_(api, who).get(f"/api/v1/dossiers/{dossier.pk}/")
    assert response.status_code == 404
    assert response.data["detail"]


def test_it_hides_the_dossier_from_an_assigned_auditor_who_has_not_declared(api):
    dossier = dossier_at("admissible")
    as_(api, "gestionnaire").post(
        f"/api/v1/dossiers/{dossier.pk}/assignments/", {"auditor": "auditeur", "role": "lead"}
    )
    assert as_(api, "auditeur").get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 404


def test_the_committee_sees_a_dossier_once_referred_to_it(api):
    dossier = dossier_at("committee_review")
    assert as_(api, "comite").get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 200


def test_the_detail_requires_authentication(api):
    dossier = dossier_at("draft")
    assert anonymous(api).get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 401


@pytest.mark.parametrize("pk", ["999999", "abc", "99999999999999999999999"])
def test_an_unknown_or_malformed_id_is_not_found(api, pk):
    response = as_(api, "gestionnaire").get(f"/api/v1/dossiers/{pk}/")
    assert response.status_code == 404
    assert response.data["detail"]


# -- available_transitions: exactly what this user may run now ----------------------------


def available(api, who, dossier):
    response = as_(api, who).get(f"/api/v1/dossiers/{dossier.pk}/")
    assert response.status_code == 200, response.data
    return response.data["available_transitions"]


def test_a_draft_offers_submit_to_the_referent_once_complete(api, contributor, viewer):
    dossier = dossier_at("draft")
    assert available(api, "niort", dossier) == ["withdraw"]
    ready_for(dossier, "submitted", cast())
    assert available(api, "niort", dossier) == ["submit", "withdraw"]
    assert available(api, contributor, dossier) == []
    assert available(api, viewer, dossier) == []
    assert available(api, "gestionnaire", dossier) == []


def test_a_submitted_dossier_offers_the_admissibility_decisions_to_managers(api):
    dossier = dossier_at("submitted")
    assert available(api, "gestionnaire", dossier) == [
        "declare_admissible", "declare_inadmissible", "return_for_completion",
    ]  # fmt: skip
    assert available(api, "niort", dossier) == ["withdraw"]


def test_an_admissible_dossier_offers_start_review_to_the_declared_lead_only(api):
    dossier = dossier_at("admissible")
    assert available(api, "gestionnaire", dossier) == []
    assert available(api, "niort", dossier) == ["withdraw"]
    for username, role in (("auditeur", "lead"), ("auditeur2", "co")):
        assignment = audit_services.assignment_create(
            dossier=dossier, auditor_username=username, role=role, by=user("gestionnaire")
        )
        audit_services.assignment_declare(
            assignment=assignment, by=user(username), has_conflict=False, details=""
        )
    assert available(api, "auditeur", dossier) == ["start_review"]
    assert available(api, "auditeur2", dossier) == []


def test_under_review_the_lead_auditor_may_issue_the_report_once_all_is_assessed(api):
    dossier = dossier_at("under_review")
    assert available(api, "auditeur", dossier) == ["request_information"]
    ready_for(dossier, "report_issued", cast())
    assert available(api, "auditeur", dossier) == ["issue_report", "request_information"]
    assert available(api, "gestionnaire", dossier) == []
    assert available(api, "niort", dossier) == ["withdraw"]


def test_a_dossier_waiting_for_information_offers_the_answer_to_the_referent(api):
    dossier = dossier_at("information_requested")
    assert available(api, "niort", dossier) == ["provide_information", "withdraw"]
    assert available(api, "auditeur", dossier) == []


def test_a_report_without_major_finding_goes_to_committee(api):
    dossier = dossier_at("report_issued")
    assert available(api, "gestionnaire", dossier) == ["refer_to_committee"]
    assert available(api, "auditeur", dossier) == []
    assert available(api, "niort", dossier) == ["withdraw"]


def test_a_report_with_a_major_finding_asks_for_corrective_actions(api):
    dossier = dossier_at("report_issued", majors=("ENV-1",))
    assert available(api, "gestionnaire", dossier) == ["request_corrective_actions"]
    assert available(api, "auditeur", dossier) == ["request_corrective_actions"]
    perform_transition(dossier=dossier, name="request_corrective_actions", by=user("auditeur"))
    assert available(api, "niort", dossier) == ["submit_corrective_actions", "withdraw"]
    assert available(api, "auditeur", dossier) == []


def test_a_referred_dossier_offers_the_decision_to_the_committee_only(api):
    dossier = dossier_at("committee_review")
    assert available(api, "comite", dossier) == ["award", "refuse"]
    assert available(api, "auditeur", dossier) == []
    assert available(api, "gestionnaire", dossier) == []
    assert available(api, "niort", dossier) == ["withdraw"]


def test_an_awarded_label_can_be_suspended_and_revoked(api):
    dossier = dossier_at("awarded")
    assert available(api, "comite", dossier) == ["revoke", "suspend"]
    assert available(api, "gestionnaire", dossier) == ["suspend"]
    assert available(api, "niort", dossier) == []
    assert available(api, "auditeur", dossier) == []


def test_a_suspended_label_can_be_reinstated(api):
    dossier = dossier_at("suspended")
    assert available(api, "comite", dossier) == ["reinstate", "revoke"]
    assert available(api, "gestionnaire", dossier) == ["reinstate"]


@pytest.mark.parametrize("state", ["refused", "revoked", "inadmissible", "withdrawn"])
def test_a_closed_dossier_offers_nothing(api, state):
    dossier = dossier_at(state)
    for who in ("niort", "gestionnaire", "comite"):
        if who == "comite" and state in ("inadmissible", "withdrawn"):
            continue  # never referred: the committee does not see it
        assert available(api, who, dossier) == []


# -- GET /api/v1/dossiers/{id}/history/ ---------------------------------------------------


def test_the_history_lists_each_transition_in_order(api):
    dossier = dossier_at("admissible")
    response = as_(api, "niort").get(f"/api/v1/dossiers/{dossier.pk}/history/")
    assert response.status_code == 200
    steps = [(h["transition"], h["actor"]) for h in response.data["results"]]
    assert steps == [("submit", "niort"), ("declare_admissible", "gestionnaire")]


@pytest.mark.parametrize("who", ["stranger", "lille", "auditeur"])
def test_it_hides_the_history_from_those_with_no_part_in_it(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    dossier = dossier_at("submitted")
    response = as_(api, who).get(f"/api/v1/dossiers/{dossier.pk}/history/")
    assert response.status_code == 404


def test_the_history_requires_authentication(api):
    dossier = dossier_at("submitted")
    assert anonymous(api).get(f"/api/v1/dossiers/{dossier.pk}/history/").status_code == 401


@pytest.mark.parametrize("pk", ["²", "1e3", "-1"])
def test_an_id_that_is_not_a_plain_number_is_not_found(api, pk):
    assert as_(api, "gestionnaire").get(f"/api/v1/dossiers/{pk}/").status_code == 404
