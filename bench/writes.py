"""Transitions at national scale, for `bench/scale.py`: 16 clients at once through the one
entry point against bare writes of the same rows, and 16 at once on one dossier.

Every transition goes back and forth between two states, so that the set keeps its shape
round after round and no dossier is used up: a programme manager returns a submitted dossier
for completion (a comment is required), then its referent submits it again (the guard reads
the answers and evidence). Ours runs `perform_transition`; the baseline, on the same dossiers,
one transaction per transition: an UPDATE of the state guarded by the source state and an
INSERT of a log row, marked and deleted after each round (the set's history stays intact).
Our transitions stay in the set's history: real ones, chained as the service chains them.

Each client is a thread with its own connection, opened before the clock starts (a barrier)
and closed when the thread ends. Notifications are enqueued after commit as in production,
on an in-process broker (`memory://`, set by scale.py): no worker receives them.
"""

import copy
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

CLIENTS = 16
PAIRS_PER_CLIENT = 3  # dossiers each client returns and resubmits a round: 6 transitions
GOAL_THROUGHPUT = 0.3  # ours / baseline, at least
BASELINE_MARK = "bench: bare write"  # the comment of the baseline's log rows
COMMENT = "Merci de compléter les pièces justificatives."
BACK_AND_FORTH = [  # (transition, source, target, who)
    ("return_for_completion", "submitted", "draft", "manager"),
    ("submit", "draft", "submitted", "referent"),
]


@dataclass
class Target:
    """A submitted dossier and its referent, in this year's open campaign."""

    dossier: int
    referent: object


@dataclass
class Race:
    won: int = 0
    refused: int = 0  # Conflict
    failed: int = 0  # any other error
    new_entries: int = 0
    settled: bool = False  # the winner's state, its one entry, and the head chained to it

    @property
    def lost(self) -> int:
        return int(self.won >= 1 and not self.settled)

    @property
    def doubled(self) -> int:
        return max(0, self.won - 1) + max(0, self.new_entries - 1)

    @property
    def as_expected(self) -> bool:
        return (self.won, self.refused, self.failed, self.lost, self.doubled) == (
            1, CLIENTS - 1, 0, 0, 0,
        )  # fmt: skip


@dataclass
class Results:
    ours: list[float] = field(default_factory=list)  # transitions per second, one per round
    baseline: list[float] = field(default_factory=list)
    races: list[Race] = field(default_factory=list)


def measure(repeat: int) -> list[tuple]:
    """The table's rows: throughput of 16 clients, ours against the baseline, and the race."""
    from django.contrib.auth import get_user_model

    from bench import dataset

    remove_baseline_rows()  # a run stopped half-way may have left some
    manager = get_user_model().objects.get(username=dataset.USERS["manager"])
    targets = pick_targets(CLIENTS * PAIRS_PER_CLIENT + 1)
    race_target, targets = targets[0], targets[1:]
    shares = [targets[i::CLIENTS] for i in range(CLIENTS)]
    results = Results()
    ours = lambda: clients(lambda share: run_ours(share, manager), shares)  # noqa: E731
    bare = lambda: clients(lambda share: run_bare(share, manager), shares)  # noqa: E731
    ours(), bare()  # warm: imports, forms, plans, the rows in the cache
    remove_baseline_rows()
    for round_ in range(repeat):
        pair = [(ours, results.ours), (bare, results.baseline)]
        for run, rates in pair if round_ % 2 == 0 else reversed(pair):
            rates.append(run())
        remove_baseline_rows()  # untimed: the log keeps its size round after round
        for name, _source, target, who in BACK_AND_FORTH:
            actor = manager if who == "manager" else race_target.referent
            results.races.append(race(race_target.dossier, name, target, actor))
        print(f"# transitions round {round_ + 1}/{repeat}: ours {results.ours[-1]:.0f}/s, "
              f"bare {results.baseline[-1]:.0f}/s", file=sys.stderr, flush=True)  # fmt: skip
    return [throughput_row(results), race_row(results.races)]


def pick_targets(count: int) -> list[Target]:
    """Submitted dossiers of open campaigns, one per collectivity, with a referent each; not
    the named referent's (its lists are measured)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bench import dataset
    from certification.models import Dossier, Membership

    now = timezone.now()
    dossiers = (
        Dossier.objects.filter(state="submitted", campaign__opens_at__lte=now,
                               campaign__closes_at__gt=now)
        .exclude(collectivity__memberships__user__username=dataset.USERS["referent"])
        .order_by("collectivity_id", "id")
        .distinct("collectivity_id")
        .values_list("id", "collectivity_id")[:count]
    )  # fmt: skip
    referents = dict(
        Membership.objects.filter(
            collectivity_id__in=[c for _, c in dossiers], role="referent"
        ).values_list("collectivity_id", "user_id")
    )
    users = get_user_model().objects.in_bulk(list(referents.values()))
    targets = [Target(pk, users[referents[c]]) for pk, c in dossiers if c in referents]
    if len(targets) < count:
        raise RuntimeError(f"only {len(targets)} submitted dossiers in open campaigns")
    return targets


def fresh(user):
    """The user as a new request sees it: without the permission caches of an earlier one."""
    user = copy.copy(user)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


def clients(work: Callable[[list[Target]], int], shares: list[list[Target]]) -> float:
    """Run `work` on each share in its own thread and connection, all released at once;
    return the transitions per second of the whole."""
    from django.db import connection

    ready = threading.Barrier(len(shares))
    spans: list[tuple[float, float, int]] = []
    errors: list[BaseException] = []

    def client(share: list[Target]) -> None:
        try:
            connection.ensure_connection()
            ready.wait()
            started = time.perf_counter()
            done = work(share)
            spans.append((started, time.perf_counter(), done))
        except BaseException as exc:  # noqa: BLE001 (re-raised by the main thread)
            errors.append(exc)
            ready.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("a client failed") from errors[0]
    elapsed = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    return sum(done for *_, done in spans) / elapsed


def run_ours(share: list[Target], manager) -> int:
    from certification.models import Dossier
    from certification.services.transitions import perform_transition

    done = 0
    for target in share:
        for name, _source, _target, who in BACK_AND_FORTH:
            by = fresh(manager if who == "manager" else target.referent)
            comment = COMMENT if who == "manager" else ""
            perform_transition(dossier=Dossier(pk=target.dossier), name=name, by=by,
                               comment=comment)  # fmt: skip
            done += 1
    return done


def run_bare(share: list[Target], manager) -> int:
    from django.db import connection, transaction

    from certification.models.history import signing_key_id

    key_id = signing_key_id()
    done = 0
    for target in share:
        for name, source, state, who in BACK_AND_FORTH:
            actor = manager.pk if who == "manager" else target.referent.pk
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE certification_dossier SET state = %s, updated_at = now()"
                    " WHERE id = %s AND state = %s",
                    [state, target.dossier, source],
                )
                if cursor.rowcount != 1:
                    raise RuntimeError(f"dossier {target.dossier} is not {source}")
                cursor.execute(
                    "INSERT INTO certification_transitionlog (dossier_id, transition, source,"
                    " target, actor_id, at, comment, previous_hash, hash, key_id)"
                    " VALUES (%s, %s, %s, %s, %s, now(), %s, '', %s, %s)",
                    [target.dossier, name, source, state, actor, BASELINE_MARK,
                     uuid.uuid4().hex, key_id],
                )  # fmt: skip
            done += 1
    return done


def remove_baseline_rows() -> None:
    """Delete the baseline's log rows (the log is append-only for the application, not for
    the database) and put their dossiers back in the state their own history leads to."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM certification_transitionlog WHERE comment = %s RETURNING dossier_id",
            [BASELINE_MARK],
        )
        touched = sorted({pk for (pk,) in cursor.fetchall()})
        if touched:
            cursor.execute(
                "UPDATE certification_dossier d SET state = (SELECT l.target FROM"
                " certification_transitionlog l WHERE l.dossier_id = d.id ORDER BY l.id DESC"
                " LIMIT 1) WHERE d.id = ANY(%s)",
                [touched],
            )


def race(pk: int, name: str, target: str, actor) -> Race:
    """16 clients run the same transition on one dossier at once: one must win, the others
    hear Conflict, and the dossier must hold the winner's state and exactly one new entry,
    its head chained to it."""
    from certification.errors import Conflict
    from certification.models import Dossier, TransitionLog
    from certification.services.transitions import perform_transition

    result = Race()
    before = TransitionLog.objects.filter(dossier_id=pk).count()
    lock = threading.Lock()
    comment = COMMENT if name == "return_for_completion" else ""

    def attempt(_share) -> int:
        try:
            perform_transition(dossier=Dossier(pk=pk), name=name, by=fresh(actor),
                               comment=comment)  # fmt: skip
            outcome = "won"
        except Conflict:
            outcome = "refused"
        except Exception:  # noqa: BLE001 (counted: any other answer misses the goal)
            outcome = "failed"
        with lock:
            setattr(result, outcome, getattr(result, outcome) + 1)
        return 0

    clients(attempt, [[]] * CLIENTS)
    entries = list(TransitionLog.objects.filter(dossier_id=pk).order_by("id"))
    dossier = Dossier.objects.get(pk=pk)
    result.new_entries = len(entries) - before
    result.settled = (
        dossier.state == target
        and result.new_entries == 1
        and entries[-1].target == target
        and dossier.history_head == entries[-1].hash
        and entries[-1].previous_hash == entries[-2].hash
    )
    return result


def throughput_row(results: Results) -> tuple:
    ours, base = statistics.median(results.ours), statistics.median(results.baseline)
    ratio = ours / base
    name = f"transitions x{CLIENTS} (per s)"
    return (name, f"{ours:.1f}", f"{base:.1f}", f"{ratio:.2f}", f">={GOAL_THROUGHPUT}",
            ratio >= GOAL_THROUGHPUT)  # fmt: skip


def race_row(races: list[Race]) -> tuple:
    """ours: won/refused/lost/doubled of the worst race (every one when they all agree)."""
    worst = next((r for r in races if not r.as_expected), races[0])
    totals = {key: sum(getattr(r, key) for r in races)
              for key in ("won", "refused", "failed", "lost", "doubled")}  # fmt: skip
    expected = sum(r.as_expected for r in races)
    print(f"# race x{CLIENTS} one dossier (ours: won/refused/lost/doubled of the worst race): "
          f"{expected}/{len(races)} races as expected; in all "
          + ", ".join(f"{k} {v}" for k, v in totals.items()))  # fmt: skip
    ours = f"{worst.won}/{worst.refused}/{worst.lost}/{worst.doubled}"
    goal = f"1/{CLIENTS - 1}/0/0"
    return (f"race x{CLIENTS} one dossier", ours, "-", "-", goal,
            all(r.as_expected for r in races))  # fmt: skip
