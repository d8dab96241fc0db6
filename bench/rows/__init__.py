"""The rows of the benchmark data set, written with COPY into the default database.

They are the rows the services would have written, only faster: the demo's seed lays the
groups, schemes, published referentials and this year's campaigns; collectivity groups and
guardian permission rows follow `certification.services.permissions`; every state is reached
through the model's own transitions, logged in a chain hashed by `TransitionLog.compute_hash`
(whose last MAC each dossier carries as `history_head`, as the service writes it);
the audit, decision and award rows are those the transition effects record.

Shares per 100 dossiers are chosen to land near the reference counts of the scale issue:
per 100,000 dossiers, 35,000 collectivities, 649k group and 165k user permission rows,
310k history rows, 532k responses and 232k documents. The group rows now land near 600k:
the committee's 50k (view and decide on each referred dossier) are gone, as it sees the
referred dossiers by a rule. A generator seeded with N draws the rest, so a set of a given
size is the same every time.
"""

import random
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import connection, transaction

from certification.models import (
    Collectivity,
    CriterionResponse,
    DossierGroupObjectPermission,
    DossierUserObjectPermission,
    TransitionLog,
)
from documents.models import Document

from .bulk import Ids
from .people import make_base, write_people
from .plans import plan_dossiers
from .writers import (
    sign_history,
    write_access,
    write_answers,
    write_audits,
    write_decisions,
    write_dossiers,
    write_history,
)


def fill(n_dossiers: int, *, version: int, migrations: str, marker: str) -> None:
    """Write the set into the default database (migrated, empty), then mark it complete."""
    started = time.perf_counter()
    rng = random.Random(n_dossiers)
    now = datetime.now(UTC)
    # One transaction: a build that stops half-way leaves no rows and no marker.
    with transaction.atomic():
        ids = Ids()
        with step("base (demo seed, campaigns)"):
            base = make_base(now)
        with step("people"):
            people = write_people(n_dossiers, rng, base, ids)
        with step("plan"):
            plans = plan_dossiers(n_dossiers, rng, base, people, ids)
        with step("history MACs"):
            sign_history(plans)
        with step("dossiers"):
            write_dossiers(plans, people)
        with step("access"):
            write_access(plans, people, base)
        with step("history"):
            write_history(plans)
        with step("answers and evidence"):
            write_answers(plans, base, people, rng)
        with step("audits"):
            write_audits(plans, base, rng)
        with step("decisions and awards"):
            write_decisions(plans, base, ids)
        ids.reset_sequences()
        seconds = time.perf_counter() - started
        mark(marker, n_dossiers, version, migrations, seconds)
    # Fresh statistics, or the first measures run on plans made for empty tables.
    with step("vacuum analyze"), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    report_counts(n_dossiers)


@contextmanager
def step(label: str):
    started = time.perf_counter()
    yield
    print(f"  {label}: {time.perf_counter() - started:.1f}s", flush=True)


def mark(marker: str, n_dossiers: int, version: int, migrations: str, seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {marker} (n_dossiers integer, version integer, migrations text,"
            " built_at timestamptz, seconds double precision)"
        )
        cursor.execute(
            f"INSERT INTO {marker} VALUES (%s, %s, %s, now(), %s)",
            [n_dossiers, version, migrations, seconds],
        )


def report_counts(n_dossiers: int) -> None:
    """The counts the reference set gives per 100,000 dossiers, scaled to this size."""
    scale = n_dossiers / 100_000
    reference = [
        (Collectivity, 35_000),
        (DossierGroupObjectPermission, 600_000),  # 649k with the committee's former rows
        (DossierUserObjectPermission, 165_000),
        (TransitionLog, 310_000),
        (CriterionResponse, 532_000),
        (Document, 232_000),
    ]
    for model, per_100k in reference:
        count = model.objects.count()
        print(f"  {model._meta.db_table}: {count:,} (reference {round(per_100k * scale):,})")
