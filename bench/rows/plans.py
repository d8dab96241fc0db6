"""Each dossier's plan: its state, the transitions that led there, when and by whom."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from certification.models import Campaign, Dossier, Level

from .bulk import Ids
from .people import Base, People
from .shape import (
    ACTOR,
    AUDITOR_ASSIGNMENTS,
    CO_AUDITOR_SHARE,
    DECLARED_WHILE_ADMISSIBLE,
    INFO_LOOP,
    INFO_LOOP_SHARE,
    LABEL,
    LABEL_SHARE,
    PAST_YEARS,
    PHASE_YEARS,
    REFERENT_DOSSIERS,
    STATES,
    STEPS,
    TROPHY,
    WITHDRAWN_FROM,
    S,
)


@dataclass
class Plan:
    collectivity: int
    campaign: Campaign
    state: str
    steps: list[str]
    id: int = 0
    category: int | None = None
    created_at: datetime | None = None
    times: list[datetime] = field(default_factory=list)  # one per step
    actors: list[int | None] = field(default_factory=list)  # one per step
    lead: int | None = None
    co: int | None = None
    declared: bool = False  # the auditors declared no conflict: they see the dossier
    level: Level | None = None  # the report's, then the decision's
    # The TransitionLog rows of `steps`, MAC-chained (`writers.sign_history`), and the last
    # one's MAC: the dossier's `history_head` ('' without history).
    history: list[tuple] = field(default_factory=list)
    head: str = ""

    def at(self, name: str) -> datetime | None:
        """When the last `name` transition ran."""
        for step_name, when in zip(reversed(self.steps), reversed(self.times), strict=True):
            if step_name == name:
                return when
        return None


def transitions_table() -> dict[str, dict[str, str]]:
    """name -> {source: target}, read from the model's own transitions."""
    table: dict[str, dict[str, str]] = {}
    for t in Dossier._meta.get_field("state").get_all_transitions(Dossier):
        table.setdefault(t.name, {})[str(t.source)] = str(t.target)
    return table


LIFECYCLE = transitions_table()


def walk(steps: list[str]) -> list[tuple[str, str, str]]:
    """(transition, source, target) for each step, starting from a draft."""
    state, path = str(S.DRAFT), []
    for name in steps:
        target = LIFECYCLE.get(name, {}).get(state)
        if target is None:
            raise RuntimeError(f"the lifecycle has no “{name}” from “{state}”: update STEPS")
        path.append((name, state, target))
        state = target
    return path


def plan_dossiers(n_dossiers: int, rng: random.Random, base: Base, people: People,
                  ids: Ids) -> list[Plan]:  # fmt: skip
    own = people.collectivities[0]
    taken = set()  # (collectivity, campaign): one active dossier per pair
    plans = []
    for state, kind, years_ago in REFERENT_DOSSIERS:
        campaign = base.campaigns[(kind, years_ago)]
        taken.add((own, campaign.pk))
        plans.append(Plan(own, campaign, state, steps_to(state, rng)))
    others = people.collectivities[1:]
    states = list(STATES)
    weights = [STATES[s][0] for s in states]
    for state in rng.choices(states, weights, k=n_dossiers - len(plans)):
        _, kind, phase = STATES[state]
        kind = kind or (LABEL if rng.random() < LABEL_SHARE else TROPHY)
        collectivity, campaign = free_slot(rng, base, others, taken, kind, phase)
        plans.append(Plan(collectivity, campaign, state, steps_to(state, rng)))
    for plan in plans:
        reached = walk(plan.steps)[-1][2] if plan.steps else str(S.DRAFT)
        assert reached == str(plan.state), f"{plan.steps} lead to {reached}, not {plan.state}"
        schedule(plan, rng, base.now)
        plan.category = category_for(plan, base, people)
    plans.sort(key=lambda p: p.created_at)  # ids follow creation, as they would have
    for plan, pk in zip(plans, ids.take(Dossier, len(plans)), strict=True):
        plan.id = pk
    assign_auditors(plans, rng, people)
    for plan in plans:
        plan.actors = [actor(name, plan, rng, people) for name in plan.steps]
    return plans


def steps_to(state: str, rng: random.Random) -> list[str]:
    if state == S.WITHDRAWN:
        return [*rng.choice(WITHDRAWN_FROM), "withdraw"]
    steps = list(STEPS[state])
    if "start_review" in steps and state != S.INFORMATION_REQUESTED:
        if rng.random() < INFO_LOOP_SHARE:
            at = steps.index("start_review") + 1
            steps[at:at] = INFO_LOOP
    return steps


def free_slot(rng: random.Random, base: Base, collectivities: range, taken: set, kind: str,
              phase: str) -> tuple[int, Campaign]:  # fmt: skip
    """A collectivity without a dossier yet in a campaign of the phase's years."""
    for years in (PHASE_YEARS[phase], (0, *PAST_YEARS)):  # a crowded phase: any year will do
        for _ in range(100):
            campaign = base.campaigns[(kind, rng.choice(years))]
            collectivity = rng.choice(collectivities)
            if (collectivity, campaign.pk) not in taken:
                taken.add((collectivity, campaign.pk))
                return collectivity, campaign
    raise RuntimeError("no free collectivity × campaign pair left: too few collectivities")


def schedule(plan: Plan, rng: random.Random, now: datetime) -> None:
    """Opened while its campaign was open, its transitions at increasing times since."""
    opens, closes = plan.campaign.opens_at, min(plan.campaign.closes_at, now)
    plan.created_at = opens + (closes - opens) * rng.random()
    until = min(now, plan.created_at + timedelta(days=300))
    plan.times = sorted(plan.created_at + (until - plan.created_at) * rng.random()
                        for _ in plan.steps)  # fmt: skip


def category_for(plan: Plan, base: Base, people: People) -> int | None:
    population = people.population[plan.collectivity]
    for category in base.categories[plan.campaign.pk]:
        if category.admits(population):
            return category.pk
    return None


def assign_auditors(plans: list[Plan], rng: random.Random, people: People) -> None:
    """A lead auditor on every dossier declared admissible, a co-auditor on a few; the named
    auditor gets AUDITOR_ASSIGNMENTS of them."""
    audited = [p for p in plans if "declare_admissible" in p.steps]
    for plan in audited:
        plan.lead = rng.choice(people.auditors)
        reviewed = "start_review" in plan.steps  # the review starts once the lead declared
        plan.declared = reviewed or rng.random() < DECLARED_WHILE_ADMISSIBLE
        if reviewed and rng.random() < CO_AUDITOR_SHARE:
            plan.co = plan.lead
            while plan.co == plan.lead:
                plan.co = rng.choice(people.auditors)
    named = people.named["auditor"]
    waiting = [p for p in audited if p.state == S.ADMISSIBLE]
    for plan in rng.sample(waiting, min(AUDITOR_ASSIGNMENTS["pending"], len(waiting))):
        plan.lead, plan.declared = named, False
    reviewed = [p for p in audited if "start_review" in p.steps and p.co is None]
    leads, cos = AUDITOR_ASSIGNMENTS["lead"], AUDITOR_ASSIGNMENTS["co"]
    chosen = rng.sample(reviewed, min(leads + cos, len(reviewed)))
    for plan in chosen[:leads]:
        plan.lead = named
    for plan in chosen[leads:]:
        plan.co = named


def actor(name: str, plan: Plan, rng: random.Random, people: People) -> int | None:
    role = ACTOR[name]
    if role == "referent":
        return people.referent[plan.collectivity]
    if role == "lead":
        return plan.lead
    if role == "manager":
        return rng.choice(people.managers)
    if role == "committee":  # never an auditor: committee members are not auditors here
        return rng.choice(people.committee)
    return None  # the scheduler (expire)
