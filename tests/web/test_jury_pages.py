"""The jurors' pages: their entries, the declaration of conflicts of interest, the split
screen with the entry beside the score sheet, scores saved in place, the sheet submitted,
and everything locked once the chair closed the deliberation."""

import pytest

from juries import services
from juries.models import Score
from tests import factories as f
from tests.juries.conftest import jury_with_entries, sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTMX = {"HX-Request": "true"}
LIST_QUERIES = 6  # session, user, seats, entries, declarations, sheets
ENTRY_QUERIES = 14  # session, user, entry, jury, seat, collectivity, category, declaration,
# deliberation, sheet, scores, answers, documents, criteria


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def jury():
    """Xanten and Yport shortlisted; jurors harsh (chair), lenient and neutral."""
    return jury_with_entries(["Xanten", "Yport"])


def entry_url(entry, action=""):
    return f"/jury/entries/{entry.pk}/{action}"


def score_url(entry, code):
    return entry_url(entry, f"scores/{code}/")


def declared(jury, name="Xanten", juror="neutral"):
    """The juror declared no conflict on the entry; returns the entry and the juror."""
    _jury, entries, people, _manager = jury
    services.declare(dossier=entries[name], by=people[juror], has_conflict=False)
    return entries[name], people[juror]


def field_of(html, name):
    """The markup of one field's block (its label, input, help and errors)."""
    start = html.index(f'name="{name}"')
    return html[html.rindex('<div class="field', 0, start) : html.index("</div>", start)]


# -- The list of entries ---------------------------------------------------------------------


def test_the_list_requires_signing_in(client):
    assert client.get("/jury/").status_code == 302


def test_the_list_shows_each_entry_with_where_the_juror_stands(sign_in):
    _jury, entries, people, _manager = jury_with_entries(["Xanten", "Yport", "Zellenberg"])
    neutral = people["neutral"]
    services.declare(dossier=entries["Xanten"], by=neutral, has_conflict=False)
    services.score_save(dossier=entries["Xanten"], by=neutral, criterion_code="A-1", points=50)
    sheet(entries["Yport"], neutral, 60)
    page = sign_in(neutral).get("/jury/").content.decode()
    rows = {name: page[page.index(f">{name}</a>") :][:400] for name in entries}
    assert "In progress" in rows["Xanten"] and "1 of 2 criteria scored" in rows["Xanten"]
    assert "Submitted" in rows["Yport"]
    assert "Declare your conflicts of interest" in rows["Zellenberg"]
    assert f'href="/jury/entries/{entries["Xanten"].pk}/"' in page
    assert entries["Xanten"].campaign.name in page


def test_the_list_shows_a_recusal_and_an_entry_not_started(sign_in, jury):
    _jury, entries, people, _manager = jury
    services.declare(dossier=entries["Xanten"], by=people["lenient"], has_conflict=True,
                     reason="Ancien élu.")  # fmt: skip
    services.declare(dossier=entries["Yport"], by=people["lenient"], has_conflict=False)
    page = sign_in(people["lenient"]).get("/jury/").content.decode()
    assert "Recused" in page[page.index(">Xanten</a>") :][:400]
    assert "Not started" in page[page.index(">Yport</a>") :][:400]


def test_the_list_says_what_a_juror_will_find_there_before_any_seat(sign_in):
    page = sign_in(f.juror()).get("/jury/").content.decode()
    assert "No entry to score yet." in page and "declare your conflicts of interest" in page


def test_the_nav_links_to_the_jury_pages_for_jurors_only(sign_in, jury):
    _jury, entries, people, _manager = jury
    assert 'href="/jury/"' in sign_in(people["neutral"]).get("/").content.decode()
    referent = f.member(entries["Xanten"].collectivity)
    assert 'href="/jury/"' not in sign_in(referent).get("/").content.decode()


def test_the_list_costs_the_same_queries_whatever_the_number_of_entries(
    sign_in, jury, django_assert_num_queries
):
    _jury, entries, people, _manager = jury
    client = sign_in(people["neutral"])
    assert client.get("/jury/").status_code == 200  # warms the caches (content types, nav)
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/jury/")
    campaign = entries["Xanten"].campaign
    for n in range(5):
        entry = f.DossierFactory(campaign=campaign, state="shortlisted",
                                 collectivity=f.CollectivityFactory(name=f"Extra {n}"))  # fmt: skip
        sheet(entry, people["neutral"], 10)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/jury/").content.decode().count("/jury/entries/") == 7


# -- Who may open an entry -------------------------------------------------------------------


def test_a_juror_of_another_jury_gets_404(sign_in, jury):
    _jury, entries, _people, manager = jury
    other_campaign = f.CampaignFactory(referential=f.ReferentialFactory(
        scheme=f.SchemeFactory(kind="trophy")))  # fmt: skip
    outsider = f.juror("outsider")
    services.jury_create(campaign=other_campaign, category_code=None, name="Other",
                         members=[], chair="outsider", by=manager)  # fmt: skip
    client = sign_in(outsider)
    entry = entries["Xanten"]
    assert client.get(entry_url(entry)).status_code == 404
    assert client.post(entry_url(entry, "declaration/"), {"has_conflict": "no"}).status_code == 404
    assert client.post(score_url(entry, "A-1"), {"points": 1}).status_code == 404
    assert client.post(entry_url(entry, "submit/")).status_code == 404


@pytest.mark.parametrize("who", ["stranger", "referent", "manager"])
def test_anyone_off_the_jury_gets_404_managers_included(sign_in, jury, who):
    _jury, entries, _people, manager = jury
    entry = entries["Xanten"]
    user = {
        "stranger": lambda: f.UserFactory(),
        "referent": lambda: f.member(entry.collectivity),
        "manager": lambda: manager,  # not a juror: the dossier page is theirs, not this one
    }[who]()
    client = sign_in(user)
    response = client.get(entry_url(entry))
    assert response.status_code == 404 and "Xanten" not in response.content.decode()
    assert client.post(score_url(entry, "A-1"), {"points": 1}).status_code == 404


def test_an_unknown_entry_gets_404(sign_in, jury):
    assert sign_in(jury[2]["neutral"]).get("/jury/entries/999999/").status_code == 404


# -- The declaration ---------------------------------------------------------------------


def test_the_juror_declares_before_seeing_the_entry(sign_in, jury):
    _jury, entries, people, _manager = jury
    page = sign_in(people["neutral"]).get(entry_url(entries["Xanten"])).content.decode()
    assert "Declare your conflicts of interest" in page
    assert f'action="/jury/entries/{entries["Xanten"].pk}/declaration/"' in page
    assert 'id="answers-title"' not in page and "Submit my score sheet" not in page


def test_declaring_no_conflict_opens_the_split_screen(sign_in, jury):
    _jury, entries, people, _manager = jury
    entry = entries["Xanten"]
    entry.responses.filter(criterion__code="A-1").update(answer="Nos actions.", self_points=70)
    client = sign_in(people["neutral"])
    response = client.post(entry_url(entry, "declaration/"), {"has_conflict": "no"})
    assert response.status_code == 302 and response.url == entry_url(entry)
    page = client.get(entry_url(entry)).content.decode()
    assert "Declaration recorded" in page
    assert 'class="split"' in page and "Nos actions." in page and "70 / 100" in page
    assert "Not started" in page and "2 criteria to score" in page
    assert 'for="id_score_A-1_points">Points (0 to 100)' in page
    assert f'hx-post="/jury/entries/{entry.pk}/scores/A-2/"' in page
    assert "Submit my score sheet" in page


def test_the_entry_lists_its_current_clean_evidence_with_download_links(sign_in, jury):
    _jury, entries, people, _manager = jury
    entry, neutral = declared(jury)
    document = entry.documents.filter(is_current=True, scan_status="clean").first()
    page = sign_in(neutral).get(entry_url(entry)).content.decode()
    if document is None:
        pytest.skip("the factory's entry carries no clean evidence")
    assert f'href="/documents/{document.pk}/download/"' in page and document.filename in page
    assert sign_in(neutral).get(f"/documents/{document.pk}/download/").status_code == 302


def test_declaring_a_conflict_recuses_the_juror(sign_in, jury):
    _jury, entries, people, _manager = jury
    entry = entries["Xanten"]
    entry.responses.filter(criterion__code="A-1").update(answer="Nos actions.")
    client = sign_in(people["lenient"])
    response = client.post(
        entry_url(entry, "declaration/"), {"has_conflict": "yes", "reason": "Ancien élu."}
    )
    assert response.status_code == 302 and response.url == "/jury/"
    page = client.get(entry_url(entry)).content.decode()
    assert "You recused yourself from this entry" in page and "Ancien élu." in page
    assert "Nos actions." not in page and 'class="split"' not in page
    assert "jury-score" not in page and "/scores/" not in page


def test_a_conflict_without_a_reason_is_refused_at_the_field(sign_in, jury):
    _jury, entries, people, _manager = jury
    response = sign_in(people["lenient"]).post(
        entry_url(entries["Xanten"], "declaration/"), {"has_conflict": "yes", "reason": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    reason = field_of(html, "reason")
    assert "field-error" in reason and "Say what the conflict of interest is" in reason
    assert 'value="yes" required id="id_declaration_has_conflict_1" checked' in html
    assert not entries["Xanten"].declarations.exists()


def test_a_declaration_without_a_choice_is_refused_at_the_field(sign_in, jury):
    _jury, entries, people, _manager = jury
    response = sign_in(people["lenient"]).post(
        entry_url(entries["Xanten"], "declaration/"), {"reason": "Gardé."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say whether you have a conflict of interest." in html and "Gardé." in html


def test_a_recused_juror_can_neither_score_nor_submit(sign_in, jury):
    _jury, entries, people, _manager = jury
    entry = entries["Xanten"]
    services.declare(dossier=entry, by=people["lenient"], has_conflict=True, reason="Élu.")
    client = sign_in(people["lenient"])
    saved = client.post(score_url(entry, "A-1"), {"points": 10}, headers=HTMX)
    assert saved.status_code == 403
    refused = client.post(score_url(entry, "A-1"), {"points": 10})
    assert refused.status_code == 403 and "Nos" not in refused.content.decode()
    assert client.post(entry_url(entry, "submit/")).status_code == 403
    assert client.post(entry_url(entry, "declaration/"), {"has_conflict": "no"}).status_code == 409
    assert not Score.objects.exists()


# -- The score sheet -------------------------------------------------------------------------


def test_a_score_is_saved_in_place(sign_in, jury):
    entry, neutral = declared(jury)
    response = sign_in(neutral).post(
        score_url(entry, "A-1"), {"points": 80, "comment": "Solide."}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<article class="criterion sheet-criterion" id="score-A-1"')
    assert "Saved." in html and "Saved: 80 / 100" in html and "Solide." in html
    assert 'id="sheet-status"' in html and 'hx-swap-oob="true"' in html
    assert "1 of 2 criteria scored" in html
    score = Score.objects.get(sheet__member__juror=neutral, criterion__code="A-1")
    assert (score.points, score.comment) == (80, "Solide.")


def test_a_score_saved_without_htmx_comes_back_to_the_criterion(sign_in, jury):
    entry, neutral = declared(jury)
    response = sign_in(neutral).post(score_url(entry, "A-2"), {"points": 5})
    assert response.status_code == 302 and response.url == entry_url(entry) + "#score-A-2"


def test_points_out_of_range_are_refused_at_the_field_and_nothing_is_lost(sign_in, jury):
    entry, neutral = declared(jury)
    response = sign_in(neutral).post(
        score_url(entry, "A-1"), {"points": 101, "comment": "Trop généreux."}, headers=HTMX
    )
    assert response.status_code == 400
    html = response.content.decode()
    points = field_of(html, "points")
    assert "field-error" in points and "Points for A-1 go from 0 to 100." in points
    assert 'value="101"' in points and "Trop généreux." in html
    assert not Score.objects.exists()


def test_points_that_are_not_a_number_are_refused_at_the_field(sign_in, jury):
    entry, neutral = declared(jury)
    response = sign_in(neutral).post(score_url(entry, "A-1"), {"points": "beaucoup"})
    assert response.status_code == 400
    assert "field-error" in field_of(response.content.decode(), "points")


def test_an_unknown_criterion_is_refused(sign_in, jury):
    entry, neutral = declared(jury)
    response = sign_in(neutral).post(score_url(entry, "Z-9"), {"points": 1}, headers=HTMX)
    assert response.status_code == 400 and "Unknown criterion" in response.content.decode()


def test_scoring_before_declaring_is_refused(sign_in, jury):
    _jury, entries, people, _manager = jury
    response = sign_in(people["neutral"]).post(score_url(entries["Xanten"], "A-1"), {"points": 1})
    assert response.status_code == 409
    assert "Declare your conflicts of interest for this entry first." in response.content.decode()


def test_a_comment_is_required_where_the_campaign_asks_for_one(sign_in, jury):
    entry, neutral = declared(jury)
    entry.campaign.jury_comments_required = True
    entry.campaign.save(update_fields=["jury_comments_required"])
    client = sign_in(neutral)
    assert "Comment (required)" in client.get(entry_url(entry)).content.decode()
    response = client.post(score_url(entry, "A-1"), {"points": 10}, headers=HTMX)
    assert response.status_code == 400
    assert "asks for a comment" in field_of(response.content.decode(), "comment")


def test_submitting_an_incomplete_sheet_says_what_is_missing(sign_in, jury):
    entry, neutral = declared(jury)
    services.score_save(dossier=entry, by=neutral, criterion_code="A-1", points=10)
    response = sign_in(neutral).post(entry_url(entry, "submit/"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Criteria not scored yet: A-2." in html and "1 of 2 criteria scored" in html


def test_a_submitted_sheet_is_read_only(sign_in, jury):
    entry, neutral = declared(jury)
    for code in ("A-1", "A-2"):
        services.score_save(dossier=entry, by=neutral, criterion_code=code, points=40)
    client = sign_in(neutral)
    response = client.post(entry_url(entry, "submit/"))
    assert response.status_code == 302 and response.url == entry_url(entry)
    page = client.get(entry_url(entry)).content.decode()
    assert "Submitted" in page and "Only the jury's chair can reopen it." in page
    assert "/scores/" not in page and "Submit my score sheet" not in page
    assert "40 / 100" in page
    again = client.post(score_url(entry, "A-1"), {"points": 90}, headers=HTMX)
    assert again.status_code == 409 and "only the chair can reopen it" in again.content.decode()


def test_once_the_deliberation_is_closed_the_scores_are_locked(sign_in):
    jury, entries, people, _manager = jury_with_entries(["Xanten"])
    entry = entries["Xanten"]
    for name, value in [("harsh", 40), ("lenient", 70), ("neutral", 60)]:
        sheet(entry, people[name], value)
    services.deliberation_close(jury=jury, category_code=None, by=people["harsh"])
    client = sign_in(people["neutral"])
    page = client.get(entry_url(entry)).content.decode()
    assert "The jury's deliberation is closed" in page and "/scores/" not in page
    refused = client.post(score_url(entry, "A-1"), {"points": 1}, headers=HTMX)
    assert refused.status_code == 409 and "deliberation" in refused.content.decode()
    assert client.post(entry_url(entry, "submit/")).status_code == 409
    assert Score.objects.get(sheet__member__juror=people["neutral"],
                             criterion__code="A-1").points == 60  # fmt: skip


def test_the_entry_page_costs_the_same_queries_whatever_was_scored(
    sign_in, jury, django_assert_num_queries
):
    entry, neutral = declared(jury)
    services.score_save(dossier=entry, by=neutral, criterion_code="A-1", points=30)
    client = sign_in(neutral)
    assert client.get(entry_url(entry)).status_code == 200  # warms the caches
    with django_assert_num_queries(ENTRY_QUERIES):
        client.get(entry_url(entry))
    services.score_save(dossier=entry, by=neutral, criterion_code="A-2", points=30)
    with django_assert_num_queries(ENTRY_QUERIES):
        assert "Saved: 30 / 100" in client.get(entry_url(entry)).content.decode()
