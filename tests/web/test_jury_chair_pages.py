"""The jury chair's page: progress and reminders, the ranking (raw or normalised, ties shown),
closing the deliberation, reopening a sheet, the designations posted to the dossier's
transition route, the record's downloads; and the manager's publication from the campaign
page. Each for the user allowed and each refused one."""

import csv
import io

import pytest

from certification.services.transitions import perform_transition
from juries import services
from juries.models import Deliberation, Designation, JuryMember, Publication, Reopening
from tests import factories as f
from tests.juries import conftest as jury_setup
from tests.juries.conftest import jury_with_entries, sheet

pytestmark = pytest.mark.django_db

worked = jury_setup.worked  # the worked example of tests/juries (three entries, three jurors)

# session + user, the jury and whether the user chairs it, then: the members, the progress
# (two), the deliberations, the designations, the publication, the submitted sheets, the
# results (four: entries, criteria, sheets, scores). Once a deliberation is closed, the
# chair's own declarations (one more: the entries they may designate).
JURY_PAGE = 15
JURY_PAGE_CLOSED = 16


def page(jury, query=""):
    return f"/juries/{jury.pk}/{query}"


def close(jury, chair):
    return services.deliberation_close(jury=jury, category_code=None, by=chair)


def designate(entry, chair, name="designate_laureate", **data):
    return perform_transition(dossier=entry, name=name, by=chair,
                              data={"citation": "Une démarche exemplaire.", **data})  # fmt: skip


# -- Who sees the page ----------------------------------------------------------------------


def test_the_chair_sees_each_jurors_progress_and_the_ranking(sign_in, worked):
    jury, entries, people, _manager = worked
    response = sign_in(people["harsh"]).get(page(jury))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remind late jurors" in html and "Close the deliberation" in html
    progress = {row["juror"]: row for row in response.context["progress"]}
    assert (progress["lenient"]["submitted"], progress["lenient"]["recused"]) == (2, 1)
    [category] = response.context["categories"]
    # The worked example: raw Yport, Zellenberg, Xanten; normalised Xanten first.
    assert [r.entry.collectivity.name for r in category["rows"]] == [
        "Yport", "Zellenberg", "Xanten",
    ]  # fmt: skip
    assert "63.33" in html and "61.59" in html  # Yport's raw and normalised means
    normalised = sign_in(people["harsh"]).get(page(jury, "?normalised=1"))
    [category] = normalised.context["categories"]
    assert category["rows"][0].entry.collectivity.name == "Xanten"
    assert 'aria-current="page">Normalised means' in normalised.content.decode()


def test_ties_are_marked_ex_aequo(sign_in):
    jury, entries, people, _manager = jury_with_entries(["Aa", "Bb"])
    for entry in entries.values():
        sheet(entry, people["harsh"], 50)
    html = sign_in(people["harsh"]).get(page(jury)).content.decode()
    assert html.count("ex aequo") == 2


def test_a_manager_sees_the_page_without_the_chairs_actions(sign_in, worked):
    jury, _entries, _people, manager = worked
    response = sign_in(manager).get(page(jury))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remind late jurors" in html and "Close the deliberation" not in html
    assert "Reopen this sheet" not in html


def test_a_juror_who_is_not_chair_and_a_stranger_get_404(sign_in, worked):
    jury, _entries, people, _manager = worked
    assert sign_in(people["neutral"]).get(page(jury)).status_code == 404
    assert sign_in(f.UserFactory()).get(page(jury)).status_code == 404
    assert sign_in(people["harsh"]).get("/juries/999999/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, worked):
    jury, *_ = worked
    response = client.get(page(jury))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_jury_page_costs_the_same_whatever_the_entries(
    sign_in, django_assert_num_queries, worked
):
    jury, entries, people, _manager = worked
    client = sign_in(people["harsh"])
    client.get(page(jury))  # warm the content-type cache
    with django_assert_num_queries(JURY_PAGE):
        assert client.get(page(jury)).status_code == 200
    more = f.DossierFactory(campaign=jury.campaign, state="shortlisted")
    for who, value in (("harsh", 20), ("lenient", 30), ("neutral", 40)):
        sheet(more, people[who], value)
    with django_assert_num_queries(JURY_PAGE):
        response = client.get(page(jury))
    assert len(response.context["categories"][0]["rows"]) == 4
    close(jury, people["harsh"])
    with django_assert_num_queries(JURY_PAGE_CLOSED):
        html = client.get(page(jury)).content.decode()
    assert html.count("/transitions/designate_laureate/") == 4


# -- Reminders ------------------------------------------------------------------------------


def test_the_chair_reminds_the_late_jurors(sign_in):
    jury, entries, people, _manager = jury_with_entries(["Aa"])
    sheet(entries["Aa"], people["harsh"], 50)
    sheet(entries["Aa"], people["neutral"], 50)
    client = sign_in(people["harsh"])
    response = client.post(f"/juries/{jury.pk}/remind/", follow=True)
    assert response.redirect_chain[0] == (f"/juries/{jury.pk}/#progress-title", 302)
    assert "Reminded: lenient." in response.content.decode()
    lenient = JuryMember.objects.get(jury=jury, juror=people["lenient"])
    assert lenient.reminded_at is not None
    assert JuryMember.objects.get(jury=jury, juror=people["neutral"]).reminded_at is None


def test_reminding_when_nobody_is_late_answers_409(sign_in):
    jury, entries, people, _manager = jury_with_entries(["Aa"])
    for who in people.values():
        sheet(entries["Aa"], who, 50)
    response = sign_in(people["harsh"]).post(f"/juries/{jury.pk}/remind/")
    assert response.status_code == 409
    assert "Every juror has submitted every sheet." in response.content.decode()


def test_a_juror_who_is_not_chair_cannot_remind(sign_in):
    jury, _entries, people, _manager = jury_with_entries(["Aa"])
    assert sign_in(people["neutral"]).post(f"/juries/{jury.pk}/remind/").status_code == 404


# -- Closing the deliberation ---------------------------------------------------------------


def test_closing_with_missing_sheets_lists_them(sign_in):
    jury, entries, people, _manager = jury_with_entries(["Aa", "Bb"])
    for entry in entries.values():
        sheet(entry, people["harsh"], 50)
    sheet(entries["Aa"], people["neutral"], 60)
    response = sign_in(people["harsh"]).post(f"/juries/{jury.pk}/close/", {"category": ""})
    assert response.status_code == 409
    html = response.content.decode()
    assert "The deliberation cannot be closed yet:" in html
    for missing in ("lenient has not submitted a sheet for Aa.",
                    "lenient has not submitted a sheet for Bb.",
                    "neutral has not submitted a sheet for Bb."):  # fmt: skip
        assert f"<li>{missing}</li>" in html
    assert not Deliberation.objects.exists()


def test_the_chair_closes_the_deliberation(sign_in, worked):
    jury, _entries, people, _manager = worked
    client = sign_in(people["harsh"])
    response = client.post(f"/juries/{jury.pk}/close/", {"category": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/juries/{jury.pk}/#category-"
    deliberation = Deliberation.objects.get(jury=jury)
    html = client.get(page(jury)).content.decode()
    assert "Deliberation closed" in html and "Close the deliberation" not in html
    assert f"/deliberations/{deliberation.pk}/record.csv" in html
    assert f"/deliberations/{deliberation.pk}/record.pdf" in html
    assert "Reopen this sheet" not in html  # the scores are locked


def test_only_the_chair_closes(sign_in, worked):
    jury, _entries, people, manager = worked
    assert sign_in(people["neutral"]).post(f"/juries/{jury.pk}/close/").status_code == 404
    assert sign_in(manager).post(f"/juries/{jury.pk}/close/").status_code == 403
    assert not Deliberation.objects.exists()


# -- Reopening a sheet ----------------------------------------------------------------------


@pytest.fixture
def submitted():
    jury, entries, people, manager = jury_with_entries(["Aa"])
    sheet(entries["Aa"], people["neutral"], 60)
    return jury, entries["Aa"].score_sheets.get(), people, manager


def test_the_chair_reopens_a_sheet_with_a_reason(sign_in, submitted):
    jury, sheet_, people, _manager = submitted
    client = sign_in(people["harsh"])
    assert f'action="/score-sheets/{sheet_.pk}/reopen/"' in client.get(page(jury)).content.decode()
    response = client.post(f"/score-sheets/{sheet_.pk}/reopen/", {"reason": "Relire A-2"})
    assert response.status_code == 302
    sheet_.refresh_from_db()
    assert sheet_.submitted_at is None
    assert Reopening.objects.get(sheet=sheet_).reason == "Relire A-2"


def test_reopening_without_a_reason_shows_the_error_at_the_field(sign_in, submitted):
    jury, sheet_, people, _manager = submitted
    response = sign_in(people["harsh"]).post(f"/score-sheets/{sheet_.pk}/reopen/", {"reason": " "})
    assert response.status_code == 400
    form = response.context["categories"][0]["rows"][0].juror_sheets[0]["form"]
    assert form.errors["reason"] == ["Say why the sheet is reopened (reason)."]
    html = response.content.decode()
    assert f'id="id_reopen_{sheet_.pk}_reason"' in html and 'class="errors"' in html
    assert not Reopening.objects.exists()


def test_only_the_chair_reopens_a_sheet(sign_in, submitted):
    _jury, sheet_, people, manager = submitted
    url = f"/score-sheets/{sheet_.pk}/reopen/"
    assert sign_in(people["neutral"]).post(url, {"reason": "x"}).status_code == 404
    assert sign_in(f.UserFactory()).post(url, {"reason": "x"}).status_code == 404
    assert sign_in(manager).post(url, {"reason": "x"}).status_code == 403
    assert not Reopening.objects.exists()


def test_a_sheet_cannot_be_reopened_once_the_deliberation_is_closed(sign_in, worked):
    jury, entries, people, _manager = worked
    close(jury, people["harsh"])
    locked = entries["Yport"].score_sheets.get(member__juror=people["neutral"])
    response = sign_in(people["harsh"]).post(f"/score-sheets/{locked.pk}/reopen/", {"reason": "x"})
    assert response.status_code == 409
    assert "locked" in response.content.decode()


# -- Designations ---------------------------------------------------------------------------


def test_the_chair_designates_from_the_jury_page(sign_in, worked):
    jury, entries, people, _manager = worked
    close(jury, people["harsh"])
    client = sign_in(people["harsh"])
    yport = entries["Yport"]
    html = client.get(page(jury)).content.decode()
    assert f'action="/dossiers/{yport.pk}/transitions/designate_laureate/"' in html
    assert f'action="/dossiers/{yport.pk}/transitions/designate_finalist/"' in html
    assert f'id="id_designate_laureate_{yport.pk}_citation"' in html  # one id per entry
    back = f"/juries/{jury.pk}/#entry-{yport.pk}"
    assert f'name="next" value="{back}"' in html

    response = client.post(
        f"/dossiers/{yport.pk}/transitions/designate_laureate/",
        {"rank": "1", "citation": "Un pilotage exemplaire.", "next": back},
    )

    assert response.status_code == 302 and response["Location"] == back
    designation = Designation.objects.get(dossier=yport)
    assert (designation.outcome, designation.rank) == ("laureate", 1)
    html = client.get(page(jury)).content.decode()
    assert "Un pilotage exemplaire." in html
    assert f'action="/dossiers/{yport.pk}/transitions/designate_laureate/"' not in html


def test_a_refused_designation_shows_the_error_at_the_field(sign_in, worked):
    jury, entries, people, _manager = worked
    close(jury, people["harsh"])
    yport = entries["Yport"]
    response = sign_in(people["harsh"]).post(
        f"/dossiers/{yport.pk}/transitions/designate_laureate/",
        {"citation": "Bien.", "next": f"/juries/{jury.pk}/"},
    )
    assert response.status_code in (400, 409)
    assert "Give the laureate a rank or a named prize" in response.content.decode()
    assert not Designation.objects.exists()


def test_the_next_page_must_be_on_this_site(sign_in, worked):
    jury, entries, people, _manager = worked
    close(jury, people["harsh"])
    xanten = entries["Xanten"]
    response = sign_in(people["harsh"]).post(
        f"/dossiers/{xanten.pk}/transitions/designate_finalist/",
        {"citation": "Bien.", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{xanten.pk}/"


def test_only_the_chair_is_offered_the_designations(sign_in, worked):
    jury, entries, people, manager = worked
    close(jury, people["harsh"])
    html = sign_in(manager).get(page(jury)).content.decode()
    assert "/transitions/designate_" not in html
    yport = entries["Yport"]
    response = sign_in(people["neutral"]).post(
        f"/dossiers/{yport.pk}/transitions/designate_laureate/", {"rank": "1", "citation": "x"}
    )
    assert response.status_code == 403
    assert not Designation.objects.exists()


# -- The record -----------------------------------------------------------------------------


def test_the_record_downloads_as_csv_and_pdf(sign_in, client, worked):
    jury, entries, people, manager = worked
    deliberation = close(jury, people["harsh"])
    designate(entries["Yport"], people["harsh"], rank=1)
    csv_url = f"/deliberations/{deliberation.pk}/record.csv"
    pdf_url = f"/deliberations/{deliberation.pk}/record.pdf"

    response = sign_in(people["neutral"]).get(csv_url)  # any member of the jury

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert {row[1] for row in rows[1:]} == {"Yport", "Zellenberg", "Xanten"}
    pdf = sign_in(manager).get(pdf_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for outsider in (f.juror(), f.UserFactory()):
        assert sign_in(outsider).get(csv_url).status_code == 404
        assert sign_in(outsider).get(pdf_url).status_code == 404
    client.logout()
    assert client.get(pdf_url).status_code == 302


# -- The publication, from the campaign page ------------------------------------------------


def test_the_campaign_page_lists_the_juries_for_a_manager(sign_in, worked):
    jury, _entries, people, manager = worked
    html = sign_in(manager).get(f"/campaigns/{jury.campaign_id}/").content.decode()
    assert f'href="/juries/{jury.pk}/"' in html and "Publish the results" in html
    html = sign_in(people["harsh"]).get(f"/campaigns/{jury.campaign_id}/").content.decode()
    assert f'href="/juries/{jury.pk}/"' not in html and "Publish the results" not in html


def test_publishing_too_early_shows_the_reasons(sign_in, worked):
    jury, _entries, _people, manager = worked
    response = sign_in(manager).post(f"/campaigns/{jury.campaign_id}/publish-results/")
    assert response.status_code == 409
    html = response.content.decode()
    assert "The results cannot be published yet:" in html
    for name in ("Xanten", "Yport", "Zellenberg"):
        assert f"<li>No closed deliberation yet for {name}.</li>" in html
    assert not Publication.objects.exists()


def test_a_manager_publishes_from_the_campaign_page(sign_in, worked):
    jury, entries, people, manager = worked
    close(jury, people["harsh"])
    designate(entries["Yport"], people["harsh"], rank=1)
    url = f"/campaigns/{jury.campaign_id}/publish-results/"
    assert sign_in(people["harsh"]).post(url).status_code == 403
    assert sign_in(f.UserFactory()).post(url).status_code == 403
    assert not Publication.objects.exists()

    client = sign_in(manager)
    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{jury.campaign_id}/"
    assert Publication.objects.filter(campaign_id=jury.campaign_id).exists()
    html = client.get(response["Location"]).content.decode()
    assert f'href="/laureates/{jury.campaign_id}/"' in html
    assert "Publish the results" not in html
    assert client.post(url).status_code == 409  # once
