"""The score and the level, against an example worked by hand; the caps a rating puts on the
points; the report's level and the award's."""

from decimal import Decimal

import pytest
from django.utils import timezone

from audits import scoring
from audits import services as audit_services
from certification import models
from certification.errors import Conflict, InvalidInput
from certification.services.transitions import perform_transition
from tests import factories as f
from tests.helpers import missing, refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def worked_referential():
    """Two chapters on a scale of 1000:

    - G (governance): G-1 weight 2, 50 points; G-2 weight 1, 100 points;
    - E (environment): E-1 weight 1, 100 points; E-2 weight 3, 20 points.

    Levels: bronze 400-599, silver 600-799, gold 800-1000."""
    referential = models.Referential.objects.create(
        scheme=f.SchemeFactory(), version=1, title="Worked example", max_score=1000
    )
    for order, (chapter, criteria) in enumerate([
        ("G", [("G-1", "2", 50, True), ("G-2", "1", 100, False)]),
        ("E", [("E-1", "1", 100, False), ("E-2", "3", 20, False)]),
    ]):  # fmt: skip
        part = models.Chapter.objects.create(
            referential=referential, code=chapter, title=chapter, order=order
        )
        for position, (code, weight, points, mandatory) in enumerate(criteria):
            models.Criterion.objects.create(
                referential=referential, chapter=part, code=code, title=code, order=position,
                weight=Decimal(weight), max_points=points, mandatory=mandatory,
            )  # fmt: skip
    for code, low, high in [("bronze", 400, 599), ("silver", 600, 799), ("gold", 800, 1000)]:
        models.Level.objects.create(
            referential=referential, code=code, name=code.title(), min_score=low, max_score=high
        )
    referential.published_at = timezone.now()
    referential.save(update_fields=["published_at"])
    return referential


def under_review(referential=None, **kwargs):
    referential = referential or worked_referential()
    return f.DossierFactory(
        campaign=f.CampaignFactory(referential=referential), state="under_review", **kwargs
    )


def assess(dossier, code, rating, points):
    return audit_services.assessment_record(
        dossier=dossier, criterion_code=code, rating=rating, points=points, comment="",
        by=dossier.cast.auditor,
    )  # fmt: skip


def test_the_score_follows_the_weights_per_chapter_and_in_total():
    dossier = under_review()
    assess(dossier, "G-1", "conform", 40)  # 2 × 40 = 80 of 2 × 50 = 100
    assess(dossier, "G-2", "minor_nc", 60)  # 1 × 60 = 60 of 100
    assess(dossier, "E-1", "conform", 90)  # 1 × 90 = 90 of 100
    assess(dossier, "E-2", "major_nc", 5)  # 3 × 5 = 15 of 3 × 20 = 60

    score = scoring.dossier_score(dossier)

    # Weighted: 80 + 60 + 90 + 15 = 245 of 100 + 100 + 100 + 60 = 360.
    # Total: 1000 × 245 / 360 = 680.56 → 681, silver (600-799).
    # G: 1000 × 140 / 360 = 388.9 → 389 of 1000 × 200 / 360 = 555.6 → 556 (70 %).
    # E: 1000 × 105 / 360 = 291.7 → 292 of 1000 × 160 / 360 = 444.4 → 444 (66 %).
    assert (score.total, score.max_score, score.level.code) == (681, 1000, "silver")
    assert [(c.code, c.points, c.max_points, c.percent) for c in score.chapters] == [
        ("G", 389, 556, 70), ("E", 292, 444, 66),
    ]  # fmt: skip
    assert (score.assessed, score.criteria, score.complete) == (4, 4, True)
    assert score.next_level.code == "gold"


def test_not_applicable_leaves_the_score_and_unassessed_criteria_count_zero():
    dossier = under_review()
    assess(dossier, "G-1", "conform", 50)  # 100 of 100
    assess(dossier, "E-2", "not_applicable", 0)  # out of both sums

    score = scoring.dossier_score(dossier)

    # 100 of 100 + 100 + 100 (G-2 and E-1 not assessed yet: 0 points) = 300 → 333, below
    # bronze (400).
    assert (score.total, score.level, score.assessed, score.complete) == (333, None, 2, False)


@pytest.mark.parametrize(
    ("rating", "points", "allowed"),
    [
        ("minor_nc", 75, True), ("minor_nc", 76, False),
        ("major_nc", 25, True), ("major_nc", 26, False),
        ("not_applicable", 0, True), ("not_applicable", 1, False),
        ("conform", 100, True),
    ],
)  # fmt: skip
def test_a_rating_caps_the_points(rating, points, allowed):
    dossier = under_review()  # G-2 is worth 100 points
    if allowed:
        assert assess(dossier, "G-2", rating, points).points == points
        return
    with pytest.raises(InvalidInput, match="carries at most"):
        assess(dossier, "G-2", rating, points)


def test_the_referential_states_its_own_caps():
    referential = worked_referential()
    models.Referential.objects.filter(pk=referential.pk).update(minor_nc_cap=50)
    referential.refresh_from_db()
    dossier = under_review(referential)
    with pytest.raises(InvalidInput, match="at most 50 points out of 100"):
        assess(dossier, "G-2", "minor_nc", 60)


# -- The report's level, then the award's -------------------------------------------------


def assessed(points=(50, 100, 100, 20)):
    dossier = under_review()
    for code, value in zip(["G-1", "G-2", "E-1", "E-2"], points, strict=True):
        assess(dossier, code, "conform", value)
    return dossier


def test_the_report_records_the_computed_score_and_level():
    dossier = assessed((40, 100, 100, 20))  # 80 + 100 + 100 + 60 = 340 of 360 → 944
    perform_transition(
        dossier=dossier, name="issue_report", by=dossier.cast.auditor,
        data={"recommendation": "award"},
    )  # fmt: skip
    report = dossier.report.__class__.objects.get(dossier=dossier)
    assert (report.score, report.level.code) == (944, "gold")


def test_an_award_is_not_recommended_below_the_lowest_level():
    dossier = assessed((0, 0, 100, 0))  # 100 of 360 → 278, below bronze (400)
    error = refused(InvalidInput, dossier, "issue_report", dossier.cast.auditor,
                    recommendation="award")  # fmt: skip
    assert "reaches no level (the lowest starts at 400)" in str(error)
    dossier = perform_transition(
        dossier=dossier, name="issue_report", by=dossier.cast.auditor,
        data={"recommendation": "refuse"},
    )  # fmt: skip
    assert dossier.state == "report_issued"


def at_committee(points=(50, 100, 100, 20)):
    dossier = assessed(points)
    people = dossier.cast
    for name, by, data in [
        ("issue_report", people.auditor, {"recommendation": "award"}),
        ("refer_to_committee", people.manager, {}),
    ]:
        dossier = perform_transition(dossier=dossier, name=name, by=by, data=data)
    dossier.cast = people
    return dossier


def test_the_award_takes_the_reports_level_by_default():
    dossier = at_committee()
    dossier = perform_transition(dossier=dossier, name="award", by=dossier.cast.committee)
    award = models.Award.objects.get(dossier=dossier)
    decision = models.Decision.objects.get(dossier=dossier)
    assert (award.level.code, decision.level.code) == ("gold", "gold")


def test_another_level_than_the_reports_needs_the_committees_reasons():
    dossier = at_committee()
    committee = dossier.cast.committee
    error = refused(Conflict, dossier, "award", committee, level="silver")
    assert missing(error) == [("input_missing", "comment")]
    assert "needs the committee's reasons" in error.extra["missing"][0]["detail"]

    dossier = perform_transition(
        dossier=dossier, name="award", by=committee,
        data={"level": "silver", "comment": "Deux preuves datent de plus de trois ans."},
    )  # fmt: skip
    assert models.Award.objects.get(dossier=dossier).level.code == "silver"


def test_nothing_is_awarded_without_a_level_where_the_scheme_has_levels():
    dossier = at_committee()
    # A report issued before levels were computed carries none.
    dossier.report.__class__.objects.filter(dossier=dossier).update(level=None)
    dossier.refresh_from_db()
    error = refused(Conflict, dossier, "award", dossier.cast.committee)
    assert error.extra["missing"][0]["field"] == "level"
    assert not models.Award.objects.filter(dossier=dossier).exists()
