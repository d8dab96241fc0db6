"""Each role's main path through the label's pages, in Chromium, with the demo's people: the
referent answers, uploads and submits; the manager declares the dossier admissible and assigns
the auditor; the auditor declares, assesses and issues the report; the committee awards; the
public verifies the certificate. Every page visited is checked (tests/browser/checks.py)."""

import re

import pytest
from playwright.sync_api import expect

from certification.models import Award, Dossier
from certification.services import dossiers as dossier_services
from documents import services as document_services
from documents.models import Document
from tests import demo
from tests.browser.checks import checked
from tests.browser.steps import choose_person, follow, run_action, visit
from tests.helpers import make_pdf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_data")]


def state(dossier) -> str:
    return Dossier.objects.values_list("state", flat=True).get(pk=dossier.pk)


def test_a_referent_answers_uploads_and_submits_the_dossier(page_as):
    campaign = demo.label_campaign()
    dossier = dossier_services.dossier_create(
        collectivity=demo.collectivity_of("niort"), campaign=campaign, category_code=None,
        by=demo.user("niort"),
    )  # fmt: skip
    page = page_as(demo.user("niort"))
    visit(page, "/", "referent-dashboard")
    visit(page, f"/dossiers/{dossier.pk}/", "referent-dossier-draft")
    panel = page.locator("#actions-title").locator("xpath=..")
    submit = panel.get_by_role("button", name="Submit the dossier", exact=True)
    expect(submit).to_be_disabled()

    mandatory = campaign.referential.criteria.filter(mandatory=True).order_by("order", "code")
    for criterion in mandatory:
        card = page.locator(f"#criterion-{criterion.code}")
        card.get_by_label(re.compile(r"^Answer")).fill(f"Notre démarche pour {criterion.code}.")
        card.get_by_role("button", name="Save the answer").click()
        page.wait_for_load_state("networkidle")
        evidence = page.locator(f"#evidence-{criterion.code}")
        evidence.locator("input[type=file]").set_input_files({
            "name": f"{criterion.code}.pdf", "mimeType": "application/pdf", "buffer": make_pdf(),
        })  # fmt: skip
        evidence.get_by_role("button", name="Upload the file").click()
        page.locator(f"#evidence-{criterion.code}").get_by_text(
            f"{criterion.code}.pdf"
        ).first.wait_for()
    for document in Document.objects.filter(dossier=dossier):
        document_services.document_scan(document=document)  # what the worker does after an upload
    # The page polls each pending file's status and shows it clean.
    page.locator(".files .badge", has_text="Clean").nth(len(mandatory) - 1).wait_for()
    # No reload: the actions panel follows the page's own changes.
    expect(submit).to_be_enabled()
    checked(page, "referent-dossier-complete")
    run_action(page, "Submit the dossier", "referent-dossier-submitted")
    assert state(dossier) == "submitted"


def test_the_manager_declares_the_dossier_admissible_and_assigns_the_auditor(page_as):
    dossier = demo.dossier_at("submitted")
    page = page_as(demo.user("gestionnaire"))
    visit(page, "/", "manager-dashboard")
    visit(page, f"/dossiers/{dossier.pk}/", "manager-dossier-submitted")
    run_action(page, "Declare admissible", "manager-dossier-admissible")
    assert state(dossier) == "admissible"

    assignments = page.locator("#assignments")
    choose_person(assignments.get_by_label("Auditor", exact=False).first, demo.user("auditeur"))
    assignments.get_by_label("Role").select_option("lead")
    with page.expect_navigation():
        assignments.get_by_role("button", name="Assign", exact=True).click()
    checked(page, "manager-dossier-assigned")
    assert dossier.assignments.get().auditor.username == "auditeur"


def test_the_auditor_declares_assesses_and_issues_the_report(page_as):
    dossier = demo.dossier_at("admissible")
    from audits import services as audit_services

    audit_services.assignment_create(
        dossier=dossier, auditor_username="auditeur", role="lead", by=demo.user("gestionnaire")
    )
    page = page_as(demo.user("auditeur"))
    visit(page, "/", "auditor-dashboard")
    page.get_by_label("I have no conflict of interest").check()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("declar", re.I)).first.click()
    checked(page, "auditor-dossier-declared")
    run_action(page, "Start the review", "auditor-dossier-under-review")

    for criterion in dossier.referential.criteria.order_by("order", "code"):
        card = page.locator(f"#criterion-{criterion.code}")
        card.get_by_label("Rating").select_option("conform")
        card.get_by_label("Points").fill(str(criterion.max_points))
        card.get_by_role("button", name="Save the assessment").click()
        page.locator(f"#criterion-{criterion.code} .badge", has_text="Conform").wait_for()
    checked(page, "auditor-dossier-assessed")
    # No reload: the actions panel follows the assessments saved in place.
    run_action(page, "Issue the audit report", "auditor-report-issued", Recommendation="Award")
    assert state(dossier) == "report_issued"


def test_the_committee_awards_and_the_public_verifies_the_certificate(page_as):
    dossier = demo.dossier_at("committee_review")
    page = page_as(demo.user("comite"))
    visit(page, "/", "committee-dashboard")
    visit(page, f"/dossiers/{dossier.pk}/", "committee-dossier")
    run_action(page, "Award", "committee-dossier-awarded")
    award = Award.objects.get(dossier=dossier)

    public = page_as(None)
    visit(public, "/registry/", "public-registry")
    follow(public, award.certificate_number, "public-verify")
    assert "is authentic and active" in public.inner_text("main")
    visit(public, "/verify/", "public-verify-by-number")
    visit(public, "/accounts/login/", "public-login")
