"""Each issue of the audit report is kept as issued, and downloadable as a PDF with the score
per chapter against the thresholds, the findings and the recommendation."""

import io

import pytest
from pypdf import PdfReader

from audits.models import IssuedReport
from certification.services.transitions import perform_transition
from documents import reports, storage
from documents.tasks import store_report_pdf
from tests import factories as f
from tests.api.calls import as_

pytestmark = pytest.mark.django_db


def issued(majors=("A-2",)):
    dossier = f.DossierFactory(ready_for="report_issued", majors=list(majors))
    people = dossier.cast
    dossier = perform_transition(
        dossier=dossier, name="issue_report", by=people.auditor,
        data={"recommendation": "defer", "comment": "Plan d'action <à> compléter & signer."},
    )  # fmt: skip
    dossier.cast = people
    return dossier


def text_of(issue) -> str:
    data = storage.read(reports.report_store(issue).pdf_key)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_report_is_kept_as_issued_and_drawn_as_a_pdf():
    dossier = issued()
    issue = IssuedReport.objects.get(dossier=dossier)

    assert issue.version == 1 and issue.snapshot["score"] == dossier.report.score
    key = store_report_pdf(issue.pk)
    issue.refresh_from_db()
    assert key == issue.pdf_key == f"reports/{dossier.pk}/v1.pdf"
    text = text_of(issue)
    for expected in ["Rapport d'audit", "Ajourner", "A-2", "Majeure", "Gold",
                     "Plan d'action <à> compléter & signer.",
                     f"{dossier.report.score} sur 1000"]:  # fmt: skip
        assert expected in text
    assert reports.report_pdf(issue) == storage.read(issue.pdf_key)  # the same bytes


def test_a_report_issued_again_is_a_new_version_and_the_first_stays():
    dossier = issued()
    people = dossier.cast
    first = IssuedReport.objects.get(dossier=dossier)
    finding = dossier.findings.get()
    for name, by, data in [
        ("request_corrective_actions", people.auditor, {}),
        ("submit_corrective_actions", people.referent, {"plans": {str(finding.pk): "Plan."}}),
    ]:
        dossier = perform_transition(dossier=dossier, name=name, by=by, data=data)
    action = finding.corrective_actions.get()
    from audits import services as audit_services

    audit_services.corrective_action_review(action=action, by=people.auditor, accepted=True)
    perform_transition(dossier=dossier, name="issue_report", by=people.auditor,
                       data={"recommendation": "award"})  # fmt: skip

    versions = list(IssuedReport.objects.filter(dossier=dossier).order_by("version"))
    assert [(v.version, v.snapshot["recommendation"]) for v in versions] == [
        (1, "defer"), (2, "award"),
    ]  # fmt: skip
    assert versions[0].snapshot == first.snapshot
    assert versions[1].snapshot["findings"][0]["status"] == "closed"


@pytest.mark.parametrize(("who", "status"), [
    ("referent", 302), ("auditor", 302), ("manager", 302), ("stranger", 404),
])  # fmt: skip
def test_the_pdf_downloads_for_whoever_sees_the_dossier(client, api, who, status):
    dossier = issued()
    issue = IssuedReport.objects.get(dossier=dossier)
    user = f.UserFactory() if who == "stranger" else getattr(dossier.cast, who)
    client.force_login(user)
    response = client.get(f"/reports/{issue.pk}/pdf/")
    assert response.status_code == status
    assert as_(api, user).get(f"/api/v1/reports/{issue.pk}/pdf/").status_code == status
    if status == 302:
        assert "X-Amz-Signature" in response["Location"]


def test_the_record_and_the_page_link_every_version(client, api):
    dossier = issued()
    issue = IssuedReport.objects.get(dossier=dossier)
    record = as_(api, dossier.cast.referent).get(f"/api/v1/dossiers/{dossier.pk}/").data["record"]
    assert record["issued_reports"] == [{
        "version": 1, "issued_at": record["issued_reports"][0]["issued_at"],
        "pdf": f"/api/v1/reports/{issue.pk}/pdf/", "pdf_sha256": "",
    }]  # fmt: skip
    client.force_login(dossier.cast.referent)
    assert (
        f'href="/reports/{issue.pk}/pdf/"'
        in client.get(f"/dossiers/{dossier.pk}/").content.decode()
    )
