"""The back office runs transitions through `perform_transition`, never by writing state."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client

from certification.models import Campaign, TransitionLog
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client():
    manager = factories.manager()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(manager)
    client.user = manager
    return client


def change_url(dossier) -> str:
    return f"/admin/certification/dossier/{dossier.pk}/change/"


def form_data(response, **fields) -> dict:
    """The change form as the browser would post it: inline management forms included."""
    data = dict(fields)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_manager_runs_a_transition_from_the_dossier_page(manager_client):
    dossier = factories.DossierFactory(state="submitted")
    page = manager_client.get(change_url(dossier))
    assert page.status_code == 200
    offered = [name for name, _label in page.context["adminform"].form.fields["transition"].choices]
    assert "declare_admissible" in offered and "submit" not in offered

    response = manager_client.post(
        change_url(dossier), form_data(page, transition="declare_admissible"), follow=True
    )

    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.state == "admissible"
    log = TransitionLog.objects.filter(dossier=dossier).latest("id")
    assert (log.transition, log.actor) == ("declare_admissible", manager_client.user)


def test_a_refused_transition_shows_why_and_changes_nothing(manager_client):
    dossier = factories.DossierFactory(state="submitted")
    page = manager_client.get(change_url(dossier))

    response = manager_client.post(
        change_url(dossier), form_data(page, transition="declare_inadmissible"), follow=True
    )

    assert any("reason is required" in m for m in messages_of(response)), messages_of(response)
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert not TransitionLog.objects.filter(transition="declare_inadmissible").exists()


def test_the_list_offers_the_tables_bulk_transitions_to_managers_only(manager_client):
    factories.DossierFactory()
    offered = manager_client.get("/admin/certification/dossier/").context["action_form"]
    names = [name for name, _label in offered.fields["action"].choices]
    assert {"declare_admissible", "refer_to_committee"} <= set(names)

    staff = factories.UserFactory(is_staff=True, is_superuser=False)
    staff.user_permissions.add(*Permission.objects.filter(codename="view_dossier"))
    client = Client()
    client.force_login(staff)
    page = client.get("/admin/certification/dossier/")
    assert page.status_code == 200
    assert "declare_admissible" not in page.content.decode()


def test_a_manager_declares_dossiers_admissible_from_the_list(manager_client):
    ready = factories.DossierFactory(state="submitted")
    draft = factories.DossierFactory()

    response = manager_client.post(
        "/admin/certification/dossier/",
        {"action": "declare_admissible", "_selected_action": [ready.pk, draft.pk]},
        follow=True,
    )

    ready.refresh_from_db()
    draft.refresh_from_db()
    assert (ready.state, draft.state) == ("admissible", "draft")
    assert TransitionLog.objects.filter(dossier=ready, transition="declare_admissible").exists()
    assert any(str(draft) in m and "not possible" in m for m in messages_of(response))


def test_the_dossier_state_is_read_only(manager_client):
    dossier = factories.DossierFactory(state="submitted")
    page = manager_client.get(change_url(dossier))

    manager_client.post(change_url(dossier), form_data(page, state="awarded"))

    dossier.refresh_from_db()
    assert dossier.state == "submitted"


def test_the_transition_log_can_be_read_but_not_added_changed_or_deleted(manager_client):
    dossier = factories.DossierFactory(state="submitted")
    log = TransitionLog.objects.get(dossier=dossier)
    base = "/admin/certification/transitionlog/"

    assert manager_client.get(base).status_code == 200
    assert manager_client.get(f"{base}{log.pk}/change/").status_code == 200  # a read-only view
    assert manager_client.get(f"{base}add/").status_code == 403
    assert manager_client.post(f"{base}{log.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TransitionLog.objects.filter(pk=log.pk).exists()


def test_a_referent_cannot_enter_the_back_office():
    dossier = factories.DossierFactory(state="submitted")
    referent = dossier.cast.referent
    client = Client()
    client.force_login(referent)

    assert client.get(change_url(dossier)).status_code == 302  # to the admin login


def test_every_list_of_the_back_office_opens():
    from django.contrib import admin

    factories.DossierFactory(state="submitted")
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)

    for model in admin.site._registry:
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/"
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"q": "Commune"}).status_code == 200, url


def test_the_demo_manager_edits_campaigns_in_the_back_office(demo_data):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(get_user_model().objects.get(username="gestionnaire"))
    campaign = Campaign.objects.first()
    assert client.get("/admin/certification/campaign/add/").status_code == 200
    assert client.get(f"/admin/certification/campaign/{campaign.pk}/change/").status_code == 200
    assert client.get("/admin/certification/transitionlog/add/").status_code == 403


def test_the_back_office_finds_a_collectivity_and_its_dossiers_as_people_type_a_name():
    dossier = factories.DossierFactory(
        collectivity=factories.CollectivityFactory(name="Saint-Étienne")
    )
    factories.DossierFactory(collectivity=factories.CollectivityFactory(name="Niort"))
    client = Client()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    found = client.get("/admin/certification/collectivity/", {"q": "saint etienne"})
    assert [c.name for c in found.context["cl"].result_list] == ["Saint-Étienne"]
    found = client.get("/admin/certification/dossier/", {"q": "etienne"})
    assert list(found.context["cl"].result_list) == [dossier]
