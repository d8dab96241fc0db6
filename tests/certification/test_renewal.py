"""Renewing a label: from six months before it expires, the referent opens a renewal dossier
in an open campaign of the scheme, on the referential then in force, prefilled with the last
answers and the evidence (by reference, criterion by code)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.models import Award
from certification.services import renewal
from certification.services.transitions import perform_transition
from documents.models import Document
from tests import factories as f
from tests.api.calls import as_

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def label():
    """A label expiring in three months, and this year's campaign of its scheme on version 2
    of the referential, which keeps A-1 and replaces A-2 with A-3."""
    dossier = f.DossierFactory(state="awarded")
    award = Award.objects.get(dossier=dossier)
    Award.objects.filter(pk=award.pk).update(valid_until=timezone.localdate() + timedelta(days=90))
    award.refresh_from_db()
    scheme = dossier.campaign.scheme
    referential = f.ReferentialFactory(scheme=scheme, version=2,
                                       criteria=[("A-1", True), ("A-3", False)])  # fmt: skip
    award.campaign = f.CampaignFactory(referential=referential, name="Label 2029")
    award.people = dossier.cast
    return award


def renew(label, by=None, campaign=None):
    return renewal.dossier_renew(award=label, campaign=campaign or label.campaign,
                                 by=by or label.people.referent)  # fmt: skip


def test_the_renewal_is_prefilled_on_the_referential_then_in_force(label):
    old = label.dossier
    dossier = renew(label)

    assert (dossier.state, dossier.renews, dossier.referential.version) == ("draft", label, 2)
    answered = {r.criterion.code: r.answer for r in dossier.responses.select_related("criterion")}
    assert set(answered) == {"A-1"}  # A-2 is no longer in the referential
    assert answered["A-1"] == old.responses.get(criterion__code="A-1").answer
    [carried] = Document.objects.filter(dossier=dossier)
    source = old.documents.get(criterion__code="A-1", is_current=True)
    assert (carried.key, carried.sha256, carried.scan_status) == (
        source.key,
        source.sha256,
        "clean",
    )
    assert (carried.criterion.referential.version, carried.carried_from) == (2, source)
    # Answered and backed as before: it can be submitted at once.
    dossier = perform_transition(dossier=dossier, name="submit", by=label.people.referent)
    assert dossier.state == "submitted"


def test_it_opens_six_months_before_expiry(label):
    Award.objects.filter(pk=label.pk).update(valid_until=timezone.localdate() + timedelta(days=200))
    label.refresh_from_db()
    with pytest.raises(Conflict, match="The renewal opens on"):
        renew(label)


@pytest.mark.parametrize("who", ["contributor", "manager", "auditor"])
def test_only_the_holders_referent_renews(label, who):
    user = f.someone(label.dossier, who) if who == "contributor" else getattr(label.people, who)
    with pytest.raises(NotAllowed):
        renew(label, by=user)


def test_a_label_is_renewed_once_in_its_own_scheme_while_valid(label):
    with pytest.raises(InvalidInput, match="its own scheme"):
        renew(label, campaign=f.CampaignFactory())
    renew(label)
    with pytest.raises(Conflict, match="already has a renewal"):
        renew(label)
    Award.objects.filter(pk=label.pk).update(status="revoked")
    label.refresh_from_db()
    with pytest.raises(Conflict, match="Only a valid label"):
        renew(label)


def test_the_api_and_the_page_open_it(api, client, label):
    referent = label.people.referent
    url = f"/api/v1/dossiers/{label.dossier_id}/renew/"
    assert as_(api, f.UserFactory()).post(url, {"campaign": label.campaign.pk}).status_code == 404
    response = as_(api, referent).post(url, {"campaign": label.campaign.pk}, format="json")
    assert response.status_code == 201
    assert response.data["renews"] == label.certificate_number

    client.force_login(referent)
    page = client.get(f"/dossiers/{label.dossier_id}/").content.decode()
    assert f'href="/dossiers/{response.data["id"]}/"' in page  # the renewal, linked
    renewed = client.get(f"/dossiers/{response.data['id']}/").content.decode()
    assert f"Renews certificate {label.certificate_number}" in renewed
    assert "Carried over from the renewed dossier." in renewed


def test_the_page_offers_the_renewal_in_its_window(client, label):
    client.force_login(label.people.referent)
    page = client.get(f"/dossiers/{label.dossier_id}/").content.decode()
    assert f'action="/dossiers/{label.dossier_id}/renew/"' in page
    response = client.post(f"/dossiers/{label.dossier_id}/renew/",
                           {"campaign": label.campaign.pk})  # fmt: skip
    assert response.status_code == 302
    assert label.renewals.get().pk == int(response["Location"].strip("/").split("/")[-1])


@pytest.mark.parametrize("campaign", ["abc", "", "99999999"])
def test_the_page_refuses_a_campaign_that_is_not_an_open_one(client, label, campaign):
    client.force_login(label.people.referent)
    response = client.post(f"/dossiers/{label.dossier_id}/renew/", {"campaign": campaign})
    assert response.status_code == 400
    assert "Choose an open campaign." in response.content.decode()
    assert not label.renewals.exists()


@pytest.mark.parametrize("who", ["stranger", "other_collectivity"])
def test_the_page_hides_the_renewal_from_others(client, label, who):
    user = f.UserFactory() if who == "stranger" else f.member(f.CollectivityFactory())
    client.force_login(user)
    response = client.post(f"/dossiers/{label.dossier_id}/renew/",
                           {"campaign": label.campaign.pk})  # fmt: skip
    assert response.status_code == 404
    assert not label.renewals.exists()
