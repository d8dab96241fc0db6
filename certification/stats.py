"""The programme manager's figures: a campaign's counts per state and per category, the time
its dossiers spend in each state, where they wait, and the size of the work queues.

Each figure answers for whole campaigns (or for the manager's queues), never for one dossier,
and costs one query: counts are grouped by the database, times are averaged by it, and the
queues are counted up to `QUEUE_CAP` (a queue of 100 is as urgent as one of 100,000).

A campaign's figures grow with the campaign (at 100,000 dossiers its counts take about 30 ms,
its time per state 300 ms), so the dashboard keeps them a minute (`remembered`): the page
then costs the same whatever the size of the tables, and a bulk action, which changes them,
forgets them at once (`forget`)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count

from .models import Dossier, TransitionLog

S = Dossier.State
# The states where a dossier waits for someone: the others are outcomes.
WAITING_STATES = [S.DRAFT, S.SUBMITTED, S.ADMISSIBLE, S.UNDER_REVIEW, S.INFORMATION_REQUESTED,
                  S.REPORT_ISSUED, S.CORRECTIVE_ACTIONS, S.COMMITTEE_REVIEW, S.SHORTLISTED,
                  S.SUSPENDED]  # fmt: skip
QUEUE_CAP = 100
REMEMBERED_FOR = 60  # seconds
GENERATION = "dashboard-figures:generation"
BAR_SPAN = 100  # the chart's longest bar, in % of its width (each label stands above its bar)
BOTTLENECKS = 3


@dataclass
class CampaignCounts:
    total: int = 0
    states: dict[str, int] | None = None
    categories: dict[int | None, int] | None = None

    def __post_init__(self):
        self.states = self.states or {}
        self.categories = self.categories or {}


def campaign_counts(campaign_ids) -> dict[int, CampaignCounts]:
    """Each campaign's dossiers counted per state and per category: one GROUP BY."""
    found = {pk: CampaignCounts() for pk in campaign_ids}
    rows = (
        Dossier.objects.filter(campaign_id__in=list(found))
        .order_by()
        .values_list("campaign_id", "category_id", "state")
        .annotate(n=Count("id"))
    )
    for campaign_id, category_id, state, n in rows:
        counts = found[campaign_id]
        counts.total += n
        counts.states[state] = counts.states.get(state, 0) + n
        counts.categories[category_id] = counts.categories.get(category_id, 0) + n
    return found


def state_rows(states: dict[str, int]) -> list[dict]:
    """The states that hold dossiers, in the lifecycle's order, each with its count and its
    bar's length (in % of the chart's width), for the chart and the table beside it."""
    most = max(states.values(), default=0)
    return [
        {"state": state, "label": label, "n": states[state],
         "bar": round(BAR_SPAN * states[state] / most) if most else 0}
        for state, label in S.choices
        if states.get(state)
    ]  # fmt: skip


# Every stay of every dossier of the campaign in a state: entered at its creation (draft) or
# by a transition, left by the next transition (LEAD over the dossier's log), or not yet.
STAYS = """
WITH entries AS (
    SELECT d.id AS dossier_id, 'draft' AS state, d.created_at AS entered, 0 AS seq
      FROM {dossier} d WHERE d.campaign_id = %s
    UNION ALL
    SELECT l.dossier_id, l.target, l.at, l.id
      FROM {log} l JOIN {dossier} d ON d.id = l.dossier_id WHERE d.campaign_id = %s
), stays AS (
    SELECT state, entered,
           LEAD(entered) OVER (PARTITION BY dossier_id ORDER BY entered, seq) AS left_at
      FROM entries
)
SELECT state,
       AVG(CASE WHEN left_at IS NOT NULL THEN {days_left} END),
       COUNT(left_at),
       AVG(CASE WHEN left_at IS NULL THEN {days_now} END),
       SUM(CASE WHEN left_at IS NULL THEN 1 ELSE 0 END)
  FROM stays GROUP BY state
"""
DAYS = {
    "postgresql": ("EXTRACT(EPOCH FROM (left_at - entered)) / 86400",
                   "EXTRACT(EPOCH FROM (NOW() - entered)) / 86400"),
    "sqlite": ("julianday(left_at) - julianday(entered)",
               "julianday('now') - julianday(entered)"),
}  # fmt: skip


@dataclass
class StateTime:
    state: str
    mean_days: float | None  # the mean stay of the dossiers that left the state
    left: int  # how many stays ended
    waiting_days: float | None  # how long those still in it have waited, on average
    waiting: int  # how many are in it now

    @property
    def label(self) -> str:
        return str(S(self.state).label)


def time_per_state(campaign_id: int) -> list[StateTime]:
    """The mean days the campaign's dossiers spent in each state, and how long the ones still
    there have waited: one aggregate over the campaign's transition log."""
    days_left, days_now = DAYS.get(connection.vendor, DAYS["sqlite"])
    sql = STAYS.format(
        dossier=Dossier._meta.db_table, log=TransitionLog._meta.db_table,
        days_left=days_left, days_now=days_now,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign_id, campaign_id])
        rows = cursor.fetchall()
    by_state = {
        state: StateTime(state, _days(mean), left, _days(waited), int(waiting or 0))
        for state, mean, left, waited, waiting in rows
    }
    return [by_state[state] for state in S.values if state in by_state]


def _days(value) -> float | None:
    """Days, to a tenth; never below zero (the database's "now" is its transaction's start,
    which may precede a transition logged within the same transaction)."""
    return None if value is None else max(0.0, round(float(value), 1))


def bottlenecks(states: dict[str, int], times: list[StateTime] | None = None) -> dict:
    """Where the campaign's dossiers pile up (the waiting states holding most of them) and,
    once the times are known, where they have waited longest."""
    crowded = sorted(
        ((n, state) for state, n in states.items() if state in WAITING_STATES and n),
        reverse=True,
    )[:BOTTLENECKS]
    slowest = sorted(
        (t for t in times or [] if t.state in WAITING_STATES and t.waiting),
        key=lambda t: t.waiting_days or 0, reverse=True,
    )[:BOTTLENECKS]  # fmt: skip
    return {
        "crowded": [{"state": state, "label": S(state).label, "n": n} for n, state in crowded],
        "slowest": slowest,
    }


def queue_sizes(queues: dict[str, object]) -> dict[str, int]:
    """The size of each queue (a dossier queryset), counted up to `QUEUE_CAP` + 1 so that a
    long queue costs no more than a short one: all of them in one query."""
    parts, params = [], []
    for name, queryset in queues.items():
        sql, more = queryset.order_by().values("pk")[: QUEUE_CAP + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS {name}_queue)")
        params.extend(more)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        counts = cursor.fetchone()
    return dict(zip(queues, counts, strict=True))


def remembered(key: str, compute):
    """`compute()`, kept `REMEMBERED_FOR` seconds in the cache under `key` (until `forget`)."""
    generation = cache.get(GENERATION, 0)
    name = f"dashboard-figures:{generation}:{key}"
    value = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, REMEMBERED_FOR)
    return value


def forget() -> None:
    """Every figure `remembered` is computed again on its next use."""
    cache.set(GENERATION, cache.get(GENERATION, 0) + 1, None)
