"""The dossier's score per chapter against the level thresholds, and per sustainable
development goal: an SVG for the eye, hidden from screen readers, beside the table they read.
Shown to the assessing auditor, the managers, and once the report is issued, the collectivity."""

import re

import pytest

from audits import services as audit_services
from tests import factories as f
from tests.web.test_workspace import referential  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def page(client, dossier) -> str:
    response = client.get(f"/dossiers/{dossier.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, table_id: str, header: str) -> list[str]:
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    found = re.search(rf'<th scope="row">{re.escape(header)}</th>(.*?)</tr>', table, re.S)
    assert found, f"no row {header!r} in {table_id}"
    return re.findall(r"<td>(.*?)</td>", found.group(1))


@pytest.fixture
def assessed(referential):  # noqa: F811
    """ENV-1 conform 100, ENV-2 conform 50, SOC-1 a major nonconformity at 0."""
    dossier = f.DossierFactory(campaign=f.CampaignFactory(referential=referential),
                               state="under_review")  # fmt: skip
    for code, rating, points in [("ENV-1", "conform", 100), ("ENV-2", "conform", 50),
                                 ("SOC-1", "major_nc", 0)]:  # fmt: skip
        audit_services.assessment_record(
            dossier=dossier, criterion_code=code, rating=rating, points=points, comment="",
            by=dossier.cast.auditor,
        )  # fmt: skip
    return dossier


def test_the_table_gives_the_score_per_chapter_and_per_goal(sign_in, assessed):
    html = page(sign_in(assessed.cast.auditor), assessed)
    assert row(html, "score-chapters", "Total") == ["500 / 1000", "3 / 3"]
    assert row(html, "score-chapters", "ENV Environment") == ["500 / 667 (75 %)", "2 / 2"]
    assert row(html, "score-chapters", "SOC Social") == ["0 / 333 (0 %)", "1 / 1"]
    assert row(html, "score-goals", "SDG 7") == ["100 %", "1 / 1"]
    assert row(html, "score-goals", "SDG 10") == ["0 %", "1 / 1"]
    assert row(html, "score-goals", "SDG 13") == ["75 %", "2 / 2"]


def test_the_chart_is_drawn_on_the_server_and_hidden_from_screen_readers(sign_in, assessed):
    html = page(sign_in(assessed.cast.auditor), assessed)
    panel = html[html.index('id="score-panel"') :]
    charts = re.findall(r'<svg class="chart"[^>]*>', panel)
    assert len(charts) == 2 and all('aria-hidden="true"' in svg for svg in charts)
    svg = panel[panel.index('<svg class="chart"') : panel.index("</svg>")]
    assert "Gold" in svg and "chart-threshold" in svg  # where each level starts
    assert "<script" not in panel


def test_the_chart_writes_its_numbers_for_svg_in_every_language(sign_in, assessed):
    """SVG wants "353.6", whatever the page's language: French would write "353,6"."""
    client = sign_in(assessed.cast.auditor)
    response = client.get(f"/dossiers/{assessed.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert "Score par chapitre" in html  # the page is in French
    svgs = re.findall(r'<svg class="chart".*?</svg>', html, re.S)
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', "".join(svgs))
    assert any("." in n for n in numbers)  # some bars end between two pixels
    assert all(re.fullmatch(r"\d+(\.\d+)?", n) for n in numbers), numbers


def test_the_chart_escapes_what_the_referential_names():
    from certification.templatetags import charts

    svg = charts._svg([("<b>ENV</b>", 0.5, "1 & 2", "#fff")],
                      [{"x": 300.0, "name": "Or <script>", "reached": True}])  # fmt: skip
    assert "&lt;b&gt;ENV&lt;/b&gt;" in svg and "1 &amp; 2" in svg and "Or &lt;script&gt;" in svg
    assert "<b>" not in svg and "<script>" not in svg
    assert 'width="232.0"' in svg and "chart-threshold-reached" in svg


def test_a_manager_sees_the_score_once_something_is_assessed(sign_in, assessed):
    assert 'id="score-goals"' in page(sign_in(assessed.cast.manager), assessed)


def test_the_collectivity_sees_it_only_once_the_report_is_issued(sign_in, assessed):
    assert 'id="score-panel"' not in page(sign_in(assessed.cast.referent), assessed)
    issued = f.DossierFactory(state="report_issued")
    html = page(sign_in(issued.cast.referent), issued)
    assert 'id="score-panel"' in html and row(html, "score-chapters", "Total")


def test_strangers_and_other_collectivities_see_nothing(sign_in, assessed):
    other = f.DossierFactory()
    for who in (f.UserFactory(), f.member(other.collectivity), f.auditor()):
        assert sign_in(who).get(f"/dossiers/{assessed.pk}/").status_code == 404
