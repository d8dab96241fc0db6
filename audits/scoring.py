"""A dossier's score, from its assessments and its referential's weights, and the level it
reaches on the referential's thresholds.

The score is on the referential's scale (`Referential.max_score`, e.g. 1000): each
criterion counts its points times its weight, and the sum is scaled by what the applicable
criteria could have scored at most:

    score = max_score × Σ weight × points / Σ weight × max_points

A criterion rated *not applicable* leaves both sums (the others then weigh more); one not yet
assessed counts as 0 points. A chapter's line is its own share of the same scale, so the
chapters add up to the total (give or take their rounding). The score is rounded half up to
a whole number; the level is the one whose band [min_score, max_score] holds it (below the
lowest band, none).

A rating caps the points (`points_cap`): a minor nonconformity at most
`Referential.minor_nc_cap` per cent of the criterion's maximum, a major one at most
`major_nc_cap` per cent (75 and 25 by default), not applicable 0.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from operator import attrgetter

from certification.models import Chapter, Criterion, Dossier, Level, Referential

from .models import Assessment


@dataclass
class ChapterScore:
    code: str
    title: str
    points: int  # on the referential's scale
    max_points: int
    assessed: int
    criteria: int

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.max_points) if self.max_points else 0


@dataclass
class Score:
    total: int
    max_score: int
    assessed: int
    criteria: int
    level: Level | None
    levels: list[Level]
    chapters: list[ChapterScore] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.assessed == self.criteria

    @property
    def next_level(self) -> Level | None:
        """The next band above the score, to show how far it is."""
        return next((level for level in self.levels if level.min_score > self.total), None)


def points_cap(referential: Referential, rating: str, max_points: int) -> int:
    """The most points a rating may carry on a criterion worth `max_points`."""
    cap = {
        Assessment.Rating.MINOR_NC: referential.minor_nc_cap,
        Assessment.Rating.MAJOR_NC: referential.major_nc_cap,
        Assessment.Rating.NOT_APPLICABLE: 0,
    }.get(rating, 100)
    return max_points * cap // 100


# A referential's outline: its chapters in order, each with its criteria in order.
Outline = list[tuple[Chapter, list[Criterion]]]


def referential_outline(referential_id: int) -> Outline:
    """One query: the criteria with their chapter and their referential, grouped by chapter
    (a chapter without criteria has nothing to show or score)."""
    criteria = (
        Criterion.objects.filter(referential_id=referential_id)
        .select_related("chapter", "referential")
        .order_by("chapter__order", "chapter__code", "order", "code")
    )
    return [
        (members[0].chapter, members)
        for members in (list(group) for _, group in groupby(criteria, attrgetter("chapter_id")))
    ]


def referential_levels(referential_id: int) -> list[Level]:
    """One query: the referential's levels, the lowest first."""
    return list(Level.objects.filter(referential_id=referential_id).order_by("min_score"))


def dossier_score(dossier: Dossier) -> Score:
    """Three queries: the outline, the assessments, the levels."""
    referential = dossier.referential
    outline = referential_outline(referential.pk)
    rated = {a.criterion_id: a for a in Assessment.objects.filter(dossier=dossier)}
    return compute(referential, outline, rated, referential_levels(referential.pk))


def compute(referential, outline: Outline, rated: dict, levels: list) -> Score:
    weighted, possible, lines = {}, {}, []
    for chapter, criteria in outline:
        weighted[chapter.pk] = possible[chapter.pk] = Decimal(0)
        for criterion in criteria:
            assessment = rated.get(criterion.pk)
            if assessment and assessment.rating == Assessment.Rating.NOT_APPLICABLE:
                continue
            weighted[chapter.pk] += criterion.weight * (assessment.points if assessment else 0)
            possible[chapter.pk] += criterion.weight * criterion.max_points
    scale = Decimal(referential.max_score)
    whole = sum(possible.values())

    def on_scale(value: Decimal) -> int:
        if not whole:
            return 0
        return int((scale * value / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    for chapter, criteria in outline:
        lines.append(ChapterScore(
            code=chapter.code, title=chapter.title, points=on_scale(weighted[chapter.pk]),
            max_points=on_scale(possible[chapter.pk]),
            assessed=sum(1 for c in criteria if c.pk in rated), criteria=len(criteria),
        ))  # fmt: skip
    total = on_scale(sum(weighted.values()))
    level = next((lv for lv in levels if lv.min_score <= total <= lv.max_score), None)
    return Score(
        total=total, max_score=referential.max_score, level=level, levels=levels,
        assessed=sum(line.assessed for line in lines),
        criteria=sum(line.criteria for line in lines), chapters=lines,
    )  # fmt: skip
