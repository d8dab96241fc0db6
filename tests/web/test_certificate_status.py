"""Every change of a certificate's status shows at once on the registry (page and API) and on
the verification page: suspend, reinstate, revoke, and the scheduled expiry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audits import services as audit_services
from certification.models import Award
from certification.schedule import expire_awards
from certification.services.transitions import perform_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


def seen(client, award):
    """(listed on the registry page, listed by the API, the verification page's verdict)."""
    page = client.get("/registry/").content.decode()
    api = client.get("/api/v1/registry/").json()["results"]
    verdict = client.get(f"/verify/{award.verification_code}/").content.decode()
    return (award.certificate_number in page,
            [e["status"] for e in api if e["certificate_number"] == award.certificate_number],
            verdict)  # fmt: skip


def test_suspend_reinstate_then_revoke_show_everywhere_at_once(
    client, django_capture_on_commit_callbacks
):
    dossier = f.DossierFactory(state="awarded")
    people, award = dossier.cast, Award.objects.get(dossier=dossier)
    listed, api, verdict = seen(client, award)
    assert listed and api == ["active"] and "is authentic and active" in verdict

    steps = [
        ("suspend", people.manager, (True, ["suspended"], "authentic but suspended")),
        ("reinstate", people.manager, (True, ["active"], "is authentic and active")),
        ("revoke", people.committee, (False, [], "no longer active (Revoked)")),
    ]
    for name, by, (on_page, on_api, says) in steps:
        with django_capture_on_commit_callbacks(execute=True):  # as once committed
            dossier = perform_transition(dossier=dossier, name=name, by=by, comment="Contrôle.")
        listed, api, verdict = seen(client, award)
        assert (listed, api) == (on_page, on_api), name
        assert says in verdict, name
        assert award.level.name in verdict


def test_the_scheduled_expiry_shows_everywhere_at_once(client):
    dossier = f.DossierFactory(state="awarded")
    award = Award.objects.get(dossier=dossier)
    Award.objects.filter(pk=award.pk).update(valid_until=timezone.localdate() - timedelta(days=1))

    assert expire_awards() == 1

    listed, api, verdict = seen(client, award)
    assert (listed, api) == (False, [])
    assert "no longer active (Expired)" in verdict


def test_open_minor_findings_are_listed_on_the_certificates_file(client):
    dossier = f.DossierFactory(state="under_review")
    people = dossier.cast

    for code, rating, points in [("A-1", "conform", 100), ("A-2", "minor_nc", 50)]:
        audit_services.assessment_record(dossier=dossier, criterion_code=code, rating=rating,
                                         points=points, comment="", by=people.auditor)  # fmt: skip
    for name, by, data in [
        ("issue_report", people.auditor, {"recommendation": "award"}),
        ("refer_to_committee", people.manager, {}),
        ("award", people.committee, {}),
    ]:
        dossier = perform_transition(dossier=dossier, name=name, by=by, data=data)
    client.force_login(people.referent)
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    section = page[page.index('id="decision-title"') : page.index('id="report-title"')]
    assert "Minor findings to follow in surveillance" in section
    assert '<a href="#findings-title">A-2</a>' in section
