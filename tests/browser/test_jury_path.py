"""The jury's path through the pages, in Chromium, with the demo's jury at work: a juror goes
from their entries (/jury/) to an entry they have not looked at yet, declares no conflict of
interest, scores every criterion and submits the sheet; the chair closes the deliberations and
designates a laureate, the manager publishes, the public reads the laureates and verifies the
trophy."""

import re

import pytest
from playwright.sync_api import expect

from certification import demo as seeding
from certification.models import Dossier
from juries.models import Jury, ScoreSheet
from tests import demo
from tests.browser.checks import checked
from tests.browser.steps import visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_juror_declares_scores_and_submits_a_sheet(page_as):
    seeding.seed()  # with last year's trophy edition and its jury: jure2 has not seen Vertou's
    juror = demo.user("jure2")
    page = page_as(juror)
    visit(page, "/", "juror-dashboard")
    visit(page, "/jury/", "juror-entries")
    page.locator("main").get_by_role("link", name=re.compile("Vertou")).first.click()
    checked(page, "juror-entry-undeclared")

    declaration = page.locator("#declaration")
    declaration.get_by_label(re.compile("no conflict", re.I)).check()
    with page.expect_navigation():
        declaration.get_by_role("button", name="Declare").click()
    checked(page, "juror-entry-declared")

    for criterion in page.locator(".sheet-criterion").all():
        points = criterion.locator("input[type=number]")
        points.fill(points.get_attribute("max") or "10")
        criterion.get_by_role("button", name=re.compile("^Save")).click()
        page.wait_for_load_state("networkidle")
    checked(page, "juror-entry-scored")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my score sheet").click()
    checked(page, "juror-entry-submitted")
    expect(page.locator("#sheet-status")).to_contain_text("Submitted")
    sheet = ScoreSheet.objects.get(member__juror=juror, dossier__collectivity__name="Vertou")
    assert sheet.submitted_at is not None


def _complete_the_sheets() -> None:
    """What the demo's jurors still owe, done through the services: jure2 on Vertou and Lille,
    jure3 on Lille."""
    from juries import services

    for juror, name in [("jure2", "Vertou"), ("jure2", "Métropole"), ("jure3", "Métropole")]:
        entry = Dossier.objects.get(collectivity__name__startswith=name, state="shortlisted")
        who = demo.user(juror)
        if not entry.declarations.filter(member__juror=who).exists():
            services.declare(dossier=entry, by=who, has_conflict=False)
        for criterion in entry.referential.criteria.all():
            services.score_save(dossier=entry, by=who, criterion_code=criterion.code,
                                points=criterion.max_points // 2)  # fmt: skip
        services.sheet_submit(dossier=entry, by=who)


def test_the_chair_deliberates_the_manager_publishes_the_public_reads(page_as):
    seeding.seed()
    _complete_the_sheets()
    jury = Jury.objects.get()
    chair = page_as(demo.user("jure1"))
    visit(chair, f"/juries/{jury.pk}/", "chair-jury")
    for code in ("20k-100k", "plus-100k"):
        with chair.expect_navigation():
            chair.locator(f"#category-{code}").get_by_role(
                "button", name="Close the deliberation"
            ).click()
        checked(chair, f"chair-closed-{code}")
    niort = Dossier.objects.get(collectivity__name="Niort", state="shortlisted")
    row = chair.locator(f"#entry-{niort.pk}")
    row.locator("summary", has_text="Designate as laureate").click()
    row.get_by_label("Rank").fill("1")
    row.get_by_label("Citation").first.fill("Une stratégie de performance exemplaire.")
    with chair.expect_navigation():
        row.get_by_role("button", name="Confirm: Designate as laureate").click()
    checked(chair, "chair-designated")
    expect(chair.locator(f"#entry-{niort.pk}")).to_contain_text("exemplaire")

    manager = page_as(demo.user("gestionnaire"))
    visit(manager, f"/campaigns/{jury.campaign_id}/", "manager-campaign")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Publish the results").click()
    checked(manager, "manager-published")

    public = page_as(None)
    visit(public, "/laureates/", "public-laureates")
    visit(public, f"/laureates/{jury.campaign_id}/", "public-campaign-laureates")
    expect(public.locator("main")).to_contain_text("Une stratégie de performance")
    public.locator("main").get_by_role("link", name=re.compile("Verify")).first.click()
    checked(public, "public-trophy-verified")
    expect(public.locator("main")).to_contain_text("Niort")
