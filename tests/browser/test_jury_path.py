"""A juror's path through the jury's pages, in Chromium, with the demo's jury at work: from
their entries (/jury/) to an entry they have not looked at yet, where they declare no conflict
of interest, score every criterion and submit the sheet."""

import re

import pytest
from playwright.sync_api import expect

from certification import demo as seeding
from juries.models import ScoreSheet
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
