import pytest
from django.utils import timezone

from audits import services as audit_services
from audits.models import Assignment
from certification.models import Dossier
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_lists_the_users_dossiers_with_their_state(sign_in):
    dossier = f.DossierFactory()
    other = f.DossierFactory()
    page = sign_in(f.member(dossier.collectivity, "viewer")).get("/").content.decode()
    assert f'href="/dossiers/{dossier.pk}/"' in page
    assert f'href="/dossiers/{other.pk}/"' not in page
    assert '<span class="badge badge-neutral">Draft</span>' in page


def test_it_paginates_the_dossiers_by_25(sign_in):
    manager = f.manager()
    campaign = f.CampaignFactory()
    for _ in range(27):
        f.DossierFactory(campaign=campaign)
    client = sign_in(manager)
    first = client.get("/")
    assert len(first.context["page"]) == 25
    assert 'rel="next"' in first.content.decode()
    assert len(client.get("/?page=2").context["page"]) == 2


def test_it_filters_every_dossier_by_state_for_a_manager(sign_in):
    draft = f.DossierFactory()
    submitted = f.DossierFactory(state="submitted")
    client = sign_in(f.manager())
    page = client.get("/").content.decode()
    assert "All dossiers" in page and "/collectivities/" in page
    filtered = client.get("/?state=submitted").content.decode()
    assert f'href="/dossiers/{submitted.pk}/"' in filtered
    assert f'href="/dossiers/{draft.pk}/"' not in filtered


def test_it_ignores_an_unknown_state_filter(sign_in):
    dossier = f.DossierFactory()
    page = sign_in(f.manager()).get("/?state=nonsense")
    assert page.status_code == 200
    assert f'href="/dossiers/{dossier.pk}/"' in page.content.decode()


def test_it_offers_a_referent_to_open_a_dossier(sign_in):
    collectivity = f.CollectivityFactory(name="Niort")
    campaign = f.CampaignFactory(name="Label 2026")
    closed = f.CampaignFactory(name="Label 2020", closed=True)
    page = sign_in(f.member(collectivity)).get("/").content.decode()
    assert 'action="/dossiers/new/"' in page
    assert f'<option value="{collectivity.pk}" selected>Niort</option>' in page  # their only one
    assert f'<option value="{campaign.pk}">Label 2026</option>' in page
    assert f'value="{closed.pk}"' not in page


def test_it_offers_no_dossier_form_to_a_contributor(sign_in):
    page = sign_in(f.member(f.CollectivityFactory(), "contributor")).get("/").content.decode()
    assert 'action="/dossiers/new/"' not in page


def test_it_opens_a_dossier(sign_in):
    collectivity, campaign = f.CollectivityFactory(), f.CampaignFactory()
    client = sign_in(f.member(collectivity))
    response = client.post("/dossiers/new/", {"collectivity": collectivity.pk,
                                              "campaign": campaign.pk})  # fmt: skip
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/dossiers/{dossier.pk}/"
    assert (dossier.collectivity, dossier.campaign, dossier.state) == (
        collectivity, campaign, "draft"
    )  # fmt: skip


def test_it_opens_a_trophy_dossier_in_a_category(sign_in, demo_data):
    """The category's rules and how the form offers them: tests/web/test_dossier_categories.py."""
    from certification.models import Campaign, Collectivity

    niort = Collectivity.objects.get(name="Niort")
    trophy = Campaign.objects.get(scheme__kind="trophy")
    client = sign_in("niort")
    data = {"collectivity": niort.pk, "campaign": trophy.pk}
    response = client.post("/dossiers/new/", {**data, "category": "plus-100k"})
    assert response.status_code == 400
    assert "Niort has 59,000" in response.content.decode()
    response = client.post("/dossiers/new/", data)  # the only category that fits
    assert response.status_code == 302
    assert Dossier.objects.get().category.code == "20k-100k"


def test_it_refuses_a_second_active_dossier_with_409(sign_in):
    dossier = f.DossierFactory()
    client = sign_in(f.member(dossier.collectivity))
    response = client.post("/dossiers/new/", {"collectivity": dossier.collectivity.pk,
                                              "campaign": dossier.campaign.pk})  # fmt: skip
    assert response.status_code == 409
    assert "already has an active dossier" in response.content.decode()


def test_it_refuses_a_closed_campaign_with_409(sign_in):
    collectivity, campaign = f.CollectivityFactory(), f.CampaignFactory(closed=True)
    client = sign_in(f.member(collectivity))
    data = {"collectivity": collectivity.pk, "campaign": campaign.pk}
    assert client.post("/dossiers/new/", data).status_code == 409


def test_it_refuses_a_dossier_from_a_contributor_with_403(sign_in):
    collectivity, campaign = f.CollectivityFactory(), f.CampaignFactory()
    client = sign_in(f.member(collectivity, "contributor"))
    data = {"collectivity": collectivity.pk, "campaign": campaign.pk}
    assert client.post("/dossiers/new/", data).status_code == 403
    assert not Dossier.objects.exists()


def test_it_refuses_a_dossier_for_someone_elses_collectivity_with_400(sign_in):
    mine, theirs, campaign = f.CollectivityFactory(), f.CollectivityFactory(), f.CampaignFactory()
    client = sign_in(f.member(mine))
    data = {"collectivity": theirs.pk, "campaign": campaign.pk}
    assert client.post("/dossiers/new/", data).status_code == 400
    assert not Dossier.objects.exists()


# -- Auditors: conflict-of-interest declarations ------------------------------------------


@pytest.fixture
def assignment():
    dossier = f.DossierFactory(state="admissible")
    return audit_services.assignment_create(
        dossier=dossier, auditor_username=f.auditor().username, role="lead",
        by=dossier.cast.manager,
    )  # fmt: skip


def declare(client, assignment, **data):
    data = data or {"has_conflict": "no"}
    return client.post(f"/assignments/{assignment.pk}/declare/", data)


def test_it_lists_an_auditors_assignments_to_declare(sign_in, assignment):
    page = sign_in(assignment.auditor).get("/").content.decode()
    assert f'action="/assignments/{assignment.pk}/declare/"' in page
    assert assignment.dossier.collectivity.name in page


def test_it_opens_the_dossier_once_the_auditor_declares_no_conflict(sign_in, assignment):
    client = sign_in(assignment.auditor)
    response = declare(client, assignment)
    assert response["Location"] == f"/dossiers/{assignment.dossier_id}/"
    assert client.get(response["Location"]).status_code == 200


def test_it_records_a_conflict_and_keeps_the_dossier_closed(sign_in, assignment):
    client = sign_in(assignment.auditor)
    response = declare(client, assignment, has_conflict="yes")
    assert response.status_code == 400
    assert "Describe the conflict of interest." in response.content.decode()
    response = declare(client, assignment, has_conflict="yes", details="Mon conjoint y travaille.")
    assert response["Location"] == "/"
    assignment.refresh_from_db()
    assert assignment.has_conflict is True
    assert client.get(f"/dossiers/{assignment.dossier_id}/").status_code == 404


def test_it_refuses_a_second_declaration_with_409(sign_in, assignment):
    client = sign_in(assignment.auditor)
    declare(client, assignment)
    assert declare(client, assignment).status_code == 409


def test_it_hides_an_assignment_from_another_auditor(sign_in, assignment):
    assert declare(sign_in(f.auditor()), assignment).status_code == 404


def test_it_refuses_a_declaration_by_a_manager_with_403(sign_in, assignment):
    assert declare(sign_in(f.manager()), assignment).status_code == 403
    assert Assignment.objects.get().declared_at is None


def test_it_no_longer_lists_a_declared_assignment(sign_in, assignment):
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["declared_at"])
    page = sign_in(assignment.auditor).get("/").content.decode()
    assert "/declare/" not in page
