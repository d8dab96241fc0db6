"""A jury's results: per entry, the mean of the submitted sheets, optionally normalised per
juror, the spread between jurors, and a ranking per category with ties shown.

A sheet's score is out of 100, with the referential's weights:

    sheet = 100 × Σ weight × points / Σ weight × max_points

An entry's mean is the mean of its submitted sheets: a recused juror has none, so a recusal
never lowers an entry. Normalisation (as Evalato does) puts every juror on the same footing:
each sheet becomes the juror's z-score, `(sheet − the juror's mean) / the juror's standard
deviation` over the sheets they submitted to this jury (0 when they gave everyone the same),
rescaled to the jury's own mean and standard deviation over all sheets, `jury mean + z × jury
deviation`. A harsh juror and a lenient one then weigh the same. The spread is the highest
sheet minus the lowest. Ranks are competition ranks (1, 2, 2, 4) on the mean in use, to two
decimals: entries with the same mean share a rank and are marked as tied.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean, pstdev

from django.db.models import Prefetch

from certification.models import Criterion, Dossier

from .models import Jury, Score, ScoreSheet
from .services import SCORED_STATES


@dataclass
class EntryResult:
    entry: Dossier
    sheets: dict[str, float] = field(default_factory=dict)  # juror's username → sheet /100
    normalised: dict[str, float] = field(default_factory=dict)
    mean: float | None = None
    normalised_mean: float | None = None
    spread: float | None = None
    rank: int | None = None
    tied: bool = False
    normalised_rank: int | None = None
    normalised_tied: bool = False


def sheet_score(scores, criteria: dict[int, Criterion]) -> float:
    weighted = sum(criteria[s.criterion_id].weight * s.points for s in scores)
    possible = sum(c.weight * c.max_points for c in criteria.values())
    return float(100 * weighted / possible) if possible else 0.0


def jury_results(jury: Jury, normalised: bool = False, category_id=None
                 ) -> dict[str, list[EntryResult]]:  # fmt: skip
    """The ranking of each category the jury judges (`""` without categories), or of one,
    ordered on the raw means or the normalised ones (both ranks are given). Three queries:
    the entries, the criteria, the submitted sheets with their scores."""
    entries = Dossier.objects.filter(campaign_id=jury.campaign_id, state__in=SCORED_STATES)
    if jury.category_id or category_id:
        entries = entries.filter(category_id=jury.category_id or category_id)
    entries = list(entries.select_related("collectivity", "category").order_by("id"))
    criteria = {c.pk: c for c in Criterion.objects.filter(
        referential_id=jury.campaign.referential_id)}  # fmt: skip
    sheets = (
        ScoreSheet.objects.filter(member__jury=jury, dossier__in=entries,
                                  submitted_at__isnull=False)
        .select_related("member__juror")
        .prefetch_related(Prefetch("scores", Score.objects.only("sheet_id", "criterion_id",
                                                                "points")))
    )  # fmt: skip
    results = {e.pk: EntryResult(entry=e) for e in entries}
    for sheet in sheets:
        results[sheet.dossier_id].sheets[sheet.member.juror.username] = sheet_score(
            sheet.scores.all(), criteria
        )
    _normalise(results.values())
    for result in results.values():
        values = list(result.sheets.values())
        if values:
            result.mean = fmean(values)
            result.normalised_mean = fmean(result.normalised.values())
            result.spread = max(values) - min(values)
    by_category = defaultdict(list)
    for result in results.values():
        by_category[result.entry.category.code if result.entry.category else ""].append(result)
    for ranked in by_category.values():
        _rank(ranked, "normalised_mean", "normalised_rank", "normalised_tied")
        _rank(ranked, "mean", "rank", "tied")
        if normalised:
            ranked.sort(key=lambda r: (r.normalised_rank is None, r.normalised_rank or 0,
                                       r.entry.collectivity.name))  # fmt: skip
    return dict(by_category)


def _normalise(results) -> None:
    by_juror = defaultdict(list)
    for result in results:
        for juror, value in result.sheets.items():
            by_juror[juror].append(value)
    every = [v for values in by_juror.values() for v in values]
    if not every:
        return
    jury_mean, jury_deviation = fmean(every), pstdev(every)
    stats = {juror: (fmean(values), pstdev(values)) for juror, values in by_juror.items()}
    for result in results:
        for juror, value in result.sheets.items():
            mean, deviation = stats[juror]
            z = (value - mean) / deviation if deviation else 0.0
            result.normalised[juror] = jury_mean + z * jury_deviation


def _rank(results: list[EntryResult], key: str, rank: str, tied: str) -> None:
    """Competition ranks on `key` (two decimals) into `rank`, ties marked in `tied`; entries
    without a sheet come last, unranked. Leaves `results` in that order."""
    scored = [r for r in results if getattr(r, key) is not None]
    scored.sort(key=lambda r: (-round(getattr(r, key), 2), r.entry.collectivity.name))
    for position, result in enumerate(scored, 1):
        previous = scored[position - 2] if position > 1 else None
        same = previous is not None and round(getattr(previous, key), 2) == round(
            getattr(result, key), 2
        )
        setattr(result, rank, getattr(previous, rank) if same else position)
        if same:
            setattr(previous, tied, True)
            setattr(result, tied, True)
    results.sort(key=lambda r: (getattr(r, rank) is None, getattr(r, rank) or 0,
                                r.entry.collectivity.name))  # fmt: skip


def chapter_scores(scores, criteria: dict[int, Criterion]) -> dict[str, float]:
    """A sheet's score per chapter, each out of 100 with the referential's weights."""
    weighted, possible = defaultdict(float), defaultdict(float)
    for criterion in criteria.values():
        possible[criterion.chapter.code] += float(criterion.weight * criterion.max_points)
    for score in scores:
        criterion = criteria[score.criterion_id]
        weighted[criterion.chapter.code] += float(criterion.weight * score.points)
    return {code: 100 * weighted[code] / total if total else 0.0
            for code, total in possible.items()}  # fmt: skip
