"""The jury's results: means of the submitted sheets, normalised per juror against an example
worked by hand (a harsh juror, a lenient one who recused on one entry, a neutral one), the
spread, ties, and the chair's view of who scored what."""

import pytest

from juries import results, selectors
from tests import factories as f
from tests.api.calls import as_

from .conftest import jury_with_entries, sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_raw_means_never_count_a_recusal_and_show_the_spread(worked):
    jury, *_ = worked
    [rows] = results.jury_results(jury).values()
    # Xanten (40 + 70) / 2 = 55, Yport (50 + 80 + 60) / 3 = 63.33, Zellenberg 180 / 3 = 60.
    assert [(r.entry.collectivity.name, round(r.mean, 2), r.spread, r.rank) for r in rows] == [
        ("Yport", 63.33, 30, 1), ("Zellenberg", 60.0, 70, 2), ("Xanten", 55.0, 30, 3),
    ]  # fmt: skip


def test_normalisation_puts_harsh_and_lenient_jurors_on_the_same_footing(worked):
    jury, *_ = worked
    [rows] = results.jury_results(jury, normalised=True).values()
    # Jurors: harsh 40, 50, 30 (mean 40, deviation 8.165); lenient 80, 100 (mean 90,
    # deviation 10); neutral 70, 60, 50 (mean 60, deviation 8.165). The jury: the eight
    # sheets, mean 60, deviation √450 = 21.2132. A sheet becomes 60 + z × 21.2132:
    #   harsh:   Xanten 60, Yport 60 + 1.2247 × 21.2132 = 85.98, Zellenberg 34.02;
    #   lenient: Yport 60 − 21.2132 = 38.79, Zellenberg 81.21;
    #   neutral: Xanten 85.98, Yport 60, Zellenberg 34.02.
    # Means: Xanten (60 + 85.98) / 2 = 72.99; Yport (85.98 + 38.79 + 60) / 3 = 61.59;
    # Zellenberg (34.02 + 81.21 + 34.02) / 3 = 49.75. The order turns round.
    got = [(r.entry.collectivity.name, r.normalised_mean, r.normalised_rank) for r in rows]
    assert [(name, rank) for name, _mean, rank in got] == [
        ("Xanten", 1), ("Yport", 2), ("Zellenberg", 3),
    ]  # fmt: skip
    assert [mean for _name, mean, _rank in got] == pytest.approx([72.99, 61.59, 49.75], abs=0.01)
    # On the raw means (Xanten 55, Yport 63.33, Zellenberg 60) Xanten was last.
    assert [r.rank for r in rows] == [3, 1, 2]
    yport = rows[1]
    assert yport.normalised == pytest.approx(
        {"harsh": 85.98, "lenient": 38.79, "neutral": 60.0}, abs=0.01
    )


def test_ties_share_a_rank_and_the_next_one_is_skipped():
    jury, entries, people, _ = jury_with_entries(["Aa", "Bb", "Cc"])
    for name, value in [("Aa", 70), ("Bb", 70), ("Cc", 40)]:
        sheet(entries[name], people["neutral"], value)
    [rows] = results.jury_results(jury).values()
    assert [(r.entry.collectivity.name, r.rank, r.tied) for r in rows] == [
        ("Aa", 1, True), ("Bb", 1, True), ("Cc", 3, False),
    ]  # fmt: skip


def test_the_chair_sees_the_results_and_who_scored_what(api, worked, django_assert_num_queries):
    jury, entries, people, manager = worked
    chair = as_(api, people["harsh"])
    url = f"/api/v1/juries/{jury.pk}/results/"
    # The jury and its chair (2); the entries, criteria, sheets and scores (4); the progress (2).
    with django_assert_num_queries(8):
        response = chair.get(url, {"normalised": "true"})
    assert response.status_code == 200
    [category] = response.data["categories"]
    assert [e["collectivity"] for e in category["entries"]] == ["Xanten", "Yport", "Zellenberg"]
    assert {j["juror"]: (j["submitted"], j["recused"], j["to_do"])
            for j in response.data["jurors"]} == {
        "harsh": (3, 0, 0), "lenient": (2, 1, 0), "neutral": (3, 0, 0),
    }  # fmt: skip
    assert as_(api, people["lenient"]).get(url).status_code == 404  # not the chair
    assert as_(api, f.UserFactory()).get(url).status_code == 404
    assert as_(api, manager).get(url).status_code == 200


def test_the_chairs_results_do_not_grow_with_the_entries(api, django_assert_num_queries):
    jury, entries, people, _ = jury_with_entries([f"Commune {n}" for n in range(3)])
    for entry in entries.values():
        sheet(entry, people["neutral"], 50)
    chair = as_(api, people["harsh"])
    url = f"/api/v1/juries/{jury.pk}/results/"
    with django_assert_num_queries(8):
        chair.get(url)
    for n in range(3, 10):
        entry = f.DossierFactory(
            campaign=jury.campaign, state="shortlisted",
            collectivity=f.CollectivityFactory(name=f"Commune {n}"),
        )  # fmt: skip
        sheet(entry, people["neutral"], 40 + n)
    with django_assert_num_queries(8):
        response = chair.get(url)
    assert len(response.data["categories"][0]["entries"]) == 10
    assert selectors.jury_progress(jury)[2]["submitted"] == 10
