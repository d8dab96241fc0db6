"""Charts drawn on the server as inline SVG (no script): the dossier's score per chapter
against the level thresholds, and per UN sustainable development goal. Each chart only
illustrates a table printed beside it, which is what screen readers read (the SVG is
`aria-hidden`)."""

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

WIDTH, LABEL, BAR_END, ROW, BAR, TOP = 640, 96, 560, 30, 18, 26
# The UN's colour of each goal (https://www.un.org/sustainabledevelopment/news/communications-material/).
GOAL_COLOURS = {
    1: "#e5243b", 2: "#dda63a", 3: "#4c9f38", 4: "#c5192d", 5: "#ff3a21", 6: "#26bde2",
    7: "#fcc30b", 8: "#a21942", 9: "#fd6925", 10: "#dd1367", 11: "#fd9d24", 12: "#bf8b2e",
    13: "#3f7e44", 14: "#0a97d9", 15: "#56c02b", 16: "#00689d", 17: "#19486a",
}  # fmt: skip


@dataclass
class GoalScore:
    goal: int
    points: Decimal  # weighted points earned
    max_points: Decimal  # weighted points possible
    assessed: int
    criteria: int

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.max_points) if self.max_points else 0


def goal_scores(outline, rated: dict) -> list[GoalScore]:
    """Per goal, the share of the points its criteria could earn that they earned (weighted
    as the score is; a criterion rated not applicable leaves it, one not assessed counts 0).
    A criterion serving several goals counts for each. `outline` as `scoring.Outline`."""
    goals: dict[int, GoalScore] = {}
    for _chapter, criteria in outline:
        for criterion in criteria:
            assessment = rated.get(criterion.pk)
            if assessment is not None and assessment.rating == "not_applicable":
                continue
            for goal in criterion.sdg_goals or []:
                line = goals.setdefault(goal, GoalScore(goal, Decimal(0), Decimal(0), 0, 0))
                line.criteria += 1
                line.max_points += criterion.weight * criterion.max_points
                if assessment is not None:
                    line.assessed += 1
                    line.points += criterion.weight * assessment.points
    return [goals[goal] for goal in sorted(goals)]


def _x(fraction: float) -> float:
    return round(LABEL + max(0.0, min(1.0, fraction)) * (BAR_END - LABEL), 1)


@register.simple_tag
def chapter_chart(score) -> str:
    """The total and each chapter as a share of its maximum, with a line where each level
    starts (a chapter at that share of its maximum is on that level's pace)."""
    scale = score.max_score or 1
    lines = [("Σ", score.total / scale, f"{score.total} / {score.max_score}", "#1f4fa3")]
    lines += [
        (line.code, line.points / line.max_points if line.max_points else 0,
         f"{line.percent} %", "#5b6475")
        for line in score.chapters
    ]  # fmt: skip
    thresholds = [
        {"x": _x(level.min_score / scale), "name": level.name, "reached": level == score.level}
        for level in score.levels
        if 0 < level.min_score < scale
    ]
    return _svg(lines, thresholds)


@register.simple_tag
def goal_chart(goals: list[GoalScore]) -> str:
    lines = [
        (
            _("SDG %(goal)s") % {"goal": g.goal},
            g.percent / 100,
            f"{g.percent} %",
            GOAL_COLOURS.get(g.goal, "#5b6475"),
        )
        for g in goals
    ]
    return _svg(lines, [])


def _svg(lines: list[tuple[str, float, str, str]], thresholds: list[dict]) -> str:
    """The chart's markup: numbers as Python writes them (SVG wants "353.6" in every
    language, which a French template would write "353,6"), text escaped. Written here
    rather than in a template: its hundred-odd numbers cost a template a third of a
    millisecond. Each line: its label, the fraction filled, the value written after it, a
    colour."""
    height = TOP + len(lines) * ROW + 4
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, fraction, value, colour) in enumerate(lines):
        y, end = TOP + i * ROW, _x(fraction)
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + BAR - 4}" text-anchor="end" class="chart-label">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL}" y="{y}" width="{BAR_END - LABEL}" height="{BAR}" '
            'class="chart-track"/>'
            f'<rect x="{LABEL}" y="{y}" width="{round(end - LABEL, 1)}" height="{BAR}" '
            f'fill="{escape(colour)}"/>'
            f'<text x="{end + 6}" y="{y + BAR - 4}" class="chart-value">{escape(value)}</text>'
        )
    for line in thresholds:
        reached = " chart-threshold-reached" if line["reached"] else ""
        parts.append(
            f'<line x1="{line["x"]}" x2="{line["x"]}" y1="{TOP - 6}" y2="{height - 2}" '
            f'class="chart-threshold{reached}"/>'
            f'<text x="{line["x"]}" y="14" text-anchor="middle" class="chart-threshold-label">'
            f"{escape(line['name'])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("\n".join(parts))  # numbers, and text escaped above
