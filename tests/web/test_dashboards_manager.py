"""The manager's dashboard: each open campaign's counts per state (bars drawn server-side,
hidden from screen readers, beside a table) and per category, its bottlenecks and, for a
chosen campaign, the time spent per state; the work queues; the filtered list, its bulk
actions (each dossier through its own service, reported one by one) and its export."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from audits import services as audit_services
from audits.models import Assignment
from certification import stats
from certification.models import Category
from tests import factories as f

pytestmark = pytest.mark.django_db


def section(page: str, title_id: str) -> str:
    start = page.index(f'id="{title_id}"')
    return page[start : page.index("</section>", start)]


def count_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def trophy_campaign(**kwargs):
    scheme = f.SchemeFactory(kind="trophy")
    return f.CampaignFactory(referential=f.ReferentialFactory(scheme=scheme), **kwargs)


@pytest.fixture
def campaign():
    """An open label campaign: two drafts in a category, one submitted dossier without."""
    campaign = f.CampaignFactory(name="Label 2026")
    small = Category.objects.create(campaign=campaign, code="small", name="Petites communes")
    for name in ("Niort", "Vertou"):
        f.DossierFactory(campaign=campaign, category=small,
                         collectivity=f.CollectivityFactory(name=name))  # fmt: skip
    f.DossierFactory(campaign=campaign, state="submitted",
                     collectivity=f.CollectivityFactory(name="Lille"))  # fmt: skip
    return campaign


# -- Counts, chart, bottlenecks, time per state ---------------------------------------------


def test_it_counts_each_open_campaigns_dossiers_per_state_and_category(sign_in, campaign):
    f.DossierFactory(campaign=f.CampaignFactory(closed=True))  # not shown: closed
    page = sign_in(f.manager()).get("/").content.decode()
    panels = section(page, "campaigns-title")
    assert panels.count('class="campaign-panel"') == 1
    assert "Label 2026" in panels and "3 dossiers" in panels
    assert '<td class="num" data-state="draft">2</td>' in panels
    assert '<td class="num" data-state="submitted">1</td>' in panels
    assert "Petites communes: <strong>2</strong>" in panels
    assert "No category: <strong>1</strong>" in panels
    crowded = panels[panels.index("Most dossiers waiting:") :]
    assert " ".join(crowded[: crowded.index("</p>")].split()) == (
        "Most dossiers waiting: Draft (2), Submitted (1)"
    )


def test_the_chart_is_drawn_server_side_and_hidden_from_screen_readers(sign_in, campaign):
    page = sign_in(f.manager()).get("/").content.decode()
    chart = page[page.index('<svg class="chart"') : page.index("</svg>")]
    assert 'aria-hidden="true"' in chart and 'focusable="false"' in chart
    assert chart.count("<rect") == 2
    assert 'width="100%"' in chart and 'width="50%"' in chart  # 2 and 1 dossiers
    assert "<caption>Dossiers per state, Label 2026</caption>" in page


def test_the_counts_per_state(campaign):
    counts = stats.campaign_counts([campaign.pk])[campaign.pk]
    assert counts.total == 3
    assert counts.states == {"draft": 2, "submitted": 1}
    assert sorted(counts.categories.values()) == [1, 2]
    rows = stats.state_rows(counts.states)
    assert [(r["state"], r["n"], r["bar"]) for r in rows] == [
        ("draft", 2, stats.BAR_SPAN), ("submitted", 1, stats.BAR_SPAN // 2),
    ]  # fmt: skip


def test_the_time_per_state_counts_each_stay(campaign):
    times = {t.state: t for t in stats.time_per_state(campaign.pk)}
    assert times["draft"].left == 1 and times["draft"].waiting == 2
    assert times["draft"].mean_days is not None and times["draft"].mean_days >= 0
    assert times["submitted"].left == 0 and times["submitted"].waiting == 1
    assert times["submitted"].mean_days is None


def test_the_time_per_state_is_shown_for_a_chosen_campaign(sign_in, campaign):
    client = sign_in(f.manager())
    assert "Time spent per state (days)" not in client.get("/").content.decode()
    page = client.get(f"/?campaign={campaign.pk}").content.decode()
    assert "Time spent per state (days)" in page
    assert '<tr data-state="submitted"><th scope="row">Submitted</th>' in page
    assert "Waiting longest:" in page


# -- Queues and filters ----------------------------------------------------------------------


def test_the_queues_count_what_awaits_the_manager(sign_in):
    f.DossierFactory(state="submitted")
    admissible = f.DossierFactory(state="admissible")
    audit_services.assignment_create(dossier=admissible, auditor_username=f.auditor().username,
                                     role="lead", by=admissible.cast.manager)  # fmt: skip
    to_refer = f.DossierFactory(state="report_issued")
    f.DossierFactory(state="report_issued", majors=["A-1"])  # an open major finding
    client = sign_in(f.manager())
    queues = section(client.get("/").content.decode(), "queues-title")
    for name in ("admissibility", "declaration", "referral"):
        assert f'data-queue="{name}">1</span>' in queues, name
    listed = client.get("/?queue=referral").content.decode()
    table = listed[listed.index('id="dossiers-title"') :]
    assert table.count('name="dossiers"') == 1 and f'value="{to_refer.pk}"' in table


def test_a_long_queue_is_counted_up_to_its_cap(sign_in, monkeypatch):
    monkeypatch.setattr(stats, "QUEUE_CAP", 2)
    for _ in range(3):
        f.DossierFactory(state="submitted")
    page = sign_in(f.manager()).get("/").content.decode()
    assert 'data-queue="admissibility">2+</span>' in page


def test_it_filters_by_state_campaign_category_and_name(sign_in, campaign):
    other = f.DossierFactory(collectivity=f.CollectivityFactory(name="Niortaise"))
    small = campaign.categories.get()
    client = sign_in(f.manager())

    def listed(query):
        page = client.get("/?" + query).content.decode()
        return page[page.index('id="dossiers-title"') :].count('name="dossiers"')

    assert listed("") == 4
    assert listed(f"campaign={campaign.pk}") == 3
    assert listed(f"campaign={campaign.pk}&category={small.pk}") == 2
    assert listed("state=submitted") == 1
    assert listed("q=niort") == 2 and listed(f"q=niort&campaign={campaign.pk}") == 1
    assert listed(f"q=Niortaise&campaign={other.campaign.pk}") == 1
    assert listed("campaign=nonsense&state=nonsense") == 4  # ignored, not an error


# -- Bulk actions ----------------------------------------------------------------------------


def bulk(client, action, dossiers, **data):
    data = {"action": action, "dossiers": [d.pk for d in dossiers], **data}
    return client.post("/dashboard/bulk/", data)


def results(page: str) -> dict[int, str]:
    """Each dossier's line of the bulk results."""
    found = {}
    for line in section(page, "bulk-title").split("<li ")[1:]:
        pk = int(line.split('data-dossier="')[1].split('"')[0])
        found[pk] = line
    return found


def test_it_assigns_an_auditor_to_several_dossiers_and_says_which_it_refused(sign_in):
    manager, auditor = f.manager(), f.auditor(first_name="Ada", last_name="Lovelace")
    one, two = (f.DossierFactory(state="admissible", manager=manager) for _ in range(2))
    draft = f.DossierFactory()
    client = sign_in(manager)
    assert "Ada Lovelace (0 current assignments)" in client.get("/").content.decode()
    response = bulk(client, "assign", [one, draft, two], auditor=auditor.username)
    assert response.status_code == 200
    lines = results(response.content.decode())
    assert "done" in lines[one.pk] and "done" in lines[two.pk]
    assert "refused" in lines[draft.pk]
    assert "Auditors are assigned once the dossier is admissible." in lines[draft.pk]
    assert set(Assignment.objects.values_list("dossier_id", flat=True)) == {one.pk, two.pk}
    assert "Ada Lovelace (2 current assignments)" in client.get("/").content.decode()


def test_it_shortlists_several_trophy_entries_and_refuses_a_label_dossier(sign_in):
    manager = f.manager()
    trophy = trophy_campaign()
    entries = [f.DossierFactory(campaign=trophy, state="report_issued", manager=manager)
               for _ in range(2)]  # fmt: skip
    label = f.DossierFactory(state="report_issued", manager=manager)
    response = bulk(sign_in(manager), "shortlist", [*entries, label])
    lines = results(response.content.decode())
    for entry in entries:
        entry.refresh_from_db()
        assert entry.state == "shortlisted" and "done" in lines[entry.pk]
    label.refresh_from_db()
    assert label.state == "report_issued"
    assert (
        "refused" in lines[label.pk] and "is not possible while the dossier is" in lines[label.pk]
    )


def test_it_declares_several_dossiers_admissible(sign_in):
    manager = f.manager()
    submitted = [f.DossierFactory(state="submitted", manager=manager) for _ in range(2)]
    response = bulk(
        sign_in(manager),
        "declare_admissible",
        [
            *submitted,
        ],
    )
    assert all("done" in line for line in results(response.content.decode()).values())
    for dossier in submitted:
        dossier.refresh_from_db()
        assert dossier.state == "admissible"


def test_an_unknown_dossier_is_reported_as_such(sign_in):
    response = sign_in(f.manager()).post("/dashboard/bulk/", {"action": "declare_admissible",
                                                              "dossiers": ["999999"]})  # fmt: skip
    assert "No such dossier." in results(response.content.decode())[999999]


@pytest.mark.parametrize("data, error", [
    ({"action": "declare_admissible"}, "Tick the dossiers to act on."),
    ({"action": "assign", "dossiers": ["1"]}, "Choose the auditor to assign."),
    ({"action": "award", "dossiers": ["1"]}, "Select a valid choice."),
])  # fmt: skip
def test_a_bulk_action_without_what_it_needs_is_refused_with_400(sign_in, data, error):
    response = sign_in(f.manager()).post("/dashboard/bulk/", data)
    assert response.status_code == 400 and error in response.content.decode()


@pytest.mark.parametrize("who", ["auditor", "committee", "referent"])
def test_only_managers_run_bulk_actions(sign_in, who):
    dossier = f.DossierFactory(state="submitted")
    response = bulk(sign_in(getattr(dossier.cast, who)), "declare_admissible", [dossier])
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == "submitted"


# -- Export ----------------------------------------------------------------------------------


def test_it_exports_the_filtered_list_as_csv(sign_in, campaign):
    f.DossierFactory(collectivity=f.CollectivityFactory(name='=HYPERLINK("x")'))
    client = sign_in(f.manager())
    response = client.get(f"/dashboard/export.csv?campaign={campaign.pk}&state=draft")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Dossier", "Collectivity", "SIREN"]
    assert sorted(r[1] for r in rows[1:]) == ["Niort", "Vertou"]
    assert {r[6] for r in rows[1:]} == {"Petites communes"} and {r[7] for r in rows[1:]} == {
        "Draft"
    }
    everything = b"".join(client.get("/dashboard/export.csv").streaming_content).decode()
    assert "'=HYPERLINK" in everything  # a spreadsheet will not run it


def test_it_exports_the_filtered_list_as_xlsx(sign_in, campaign):
    response = sign_in(f.manager()).get(f"/dashboard/export.xlsx?campaign={campaign.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Dossier", "Collectivity")
    assert sorted((r[1], r[7]) for r in rows[1:]) == [
        ("Lille", "Submitted"), ("Niort", "Draft"), ("Vertou", "Draft"),
    ]  # fmt: skip
    assert all(isinstance(r[0], int) for r in rows[1:])


@pytest.mark.parametrize("url", ["/dashboard/export.csv", "/dashboard/export.xlsx"])
@pytest.mark.parametrize("who", ["auditor", "committee", "referent"])
def test_only_managers_export(sign_in, url, who):
    dossier = f.DossierFactory(state="submitted")
    assert sign_in(getattr(dossier.cast, who)).get(url).status_code == 403


# -- Cost ------------------------------------------------------------------------------------


def test_the_managers_dashboard_costs_the_same_with_three_times_the_dossiers(sign_in, campaign):
    """Pinned in tests/web/test_query_counts.py (the figures remembered); here, with every
    section and filter on, N and 3N dossiers (and campaigns, categories, queues, auditors)
    cost the same, whether the figures are computed (cold) or remembered (warm)."""

    def more():
        f.DossierFactory(campaign=campaign, category=campaign.categories.get())
        f.DossierFactory(state="submitted", campaign=campaign)
        f.DossierFactory(campaign=f.CampaignFactory())
        f.auditor()

    def measured():
        cache.clear()
        cold, _page = count_queries(client, url)
        warm, page = count_queries(client, url)
        return cold, warm, page

    manager = f.manager()
    for _ in range(2):
        more()
    client = sign_in(manager)
    url = f"/?campaign={campaign.pk}&q=Commune"
    client.get(url)
    cold, warm, _page = measured()
    # The counts, the time per state, the queues, the workloads (and the navigation's jurors,
    # also cached, also cleared).
    assert cold == warm + 5
    for _ in range(4):
        more()
    assert measured()[:2] == (cold, warm)
    assert measured()[2].count('class="campaign-panel"') == 7


def test_a_bulk_action_refreshes_the_remembered_figures(sign_in):
    manager = f.manager()
    dossier = f.DossierFactory(state="submitted", manager=manager)
    client = sign_in(manager)
    before = client.get("/").content.decode()
    assert 'data-queue="admissibility">1</span>' in before
    assert '<td class="num" data-state="submitted">1</td>' in section(before, "campaigns-title")
    bulk(client, "declare_admissible", [dossier])
    after = client.get("/").content.decode()
    assert 'data-queue="admissibility">0</span>' in after
    panels = section(after, "campaigns-title")  # written again, from the new counts
    assert '<td class="num" data-state="admissible">1</td>' in panels
    assert 'data-state="submitted"' not in panels


def test_the_panels_are_remembered_per_language(sign_in, campaign):
    client = sign_in(f.manager())
    english = section(
        client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode(), "campaigns-title"
    )
    french = section(client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode(), "campaigns-title")
    assert "Per category" in english and "Par catégorie" in french


def test_the_referents_dashboard_costs_the_same_with_three_times_the_drafts(sign_in):
    collectivity = f.CollectivityFactory()
    referent = f.member(collectivity)
    for _ in range(2):
        f.DossierFactory(collectivity=collectivity)
    client = sign_in(referent)
    client.get("/")
    before, _page = count_queries(client, "/")
    for _ in range(4):
        f.DossierFactory(collectivity=collectivity)
    after, page = count_queries(client, "/")
    assert after == before
    assert page.count("answered</small>") == 6 + 6  # the needs-you list and the table
