"""What one person sees must cost the same whatever the size of the tables (DESIGN, "Scale").

    .venv/bin/python bench/scale.py --dossiers 100000 [--repeat 15] [--history] [--only web]

Builds the data set of N dossiers if it is not there (and the 1,000 one when N > 1,000),
then times, for a referent, an auditor, a committee member, a manager and the public, each
page against its baseline, interleaved and repeated, through the real URL conf and
middleware with a signed-in (or anonymous) test client:

- against the bare-ORM view of the same rows (`bench.bare`), goal 1.5x: the API list (and a
  deep page for the manager), the API detail, the dashboard and the web dossier page; the
  public registry, page and API;
- the same list at N against at 1,000 dossiers, goal 1.2x;
- 16 clients running transitions at once against bare writes (`bench.writes`), goal 0.3x
  the bare throughput, and 16 racing for one dossier: exactly one wins;
- with `--history`, `verify_history()` over the whole set: its time and peak memory.

Prints `name  ours  baseline  ratio  goal  met|missed` per measure (medians; in ms unless
the name gives a unit), then `K met, M missed`. It only measures: a missed goal is a
finding, not an error.
"""

import argparse
import functools
import gc
import os
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: `bench` is a package of the project root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402  (after the path above)

GOAL_BARE = 1.5
GOAL_SCALE = 1.2
SMALL = 1000
BARE_LIST = "/bench/bare/dossiers/"
BARE_DASHBOARD = "/bench/bare/dashboard/"
BARE_REGISTRY = "/bench/bare/registry/"
REGISTRY_API = "/api/v1/registry/"
# The dossier each user opens: the furthest along the lifecycle they can see (more rows).
SHOWCASE_STATES = ["awarded", "committee_review", "report_issued", "under_review", "submitted"]


@dataclass
class Probe:
    """One GET, by one signed-in client, on one data set; `first` is called before it,
    untimed (e.g. to forget what an earlier view kept)."""

    database: str
    client: object
    path: str
    first: object = None


@dataclass
class Measure:
    name: str
    ours: Probe
    baseline: Probe
    goal: float
    ours_ms: list[float] = field(default_factory=list)
    baseline_ms: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours_ms) / statistics.median(self.baseline_ms)

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal

    def row(self) -> tuple:
        ours, base = statistics.median(self.ours_ms), statistics.median(self.baseline_ms)
        return (self.name, f"{ours:.2f}", f"{base:.2f}", f"{self.ratio:.2f}",
                f"<={self.goal}", self.met)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--history", action="store_true", help="also time verify_history()")
    parser.add_argument("--only", default="", metavar="TEXT",
                        help="only the measures whose name holds TEXT (the transitions and "
                             "the race when TEXT is part of the word 'transitions')")  # fmt: skip
    parser.add_argument("--history-only", action="store_true",
                        help="time verify_history() alone (e.g. over 1M entries)")  # fmt: skip
    args = parser.parse_args(argv)
    urls = {args.dossiers: dataset.build(args.dossiers)}
    if args.history_only:
        setup_django(urls[args.dossiers])
        print_table(history_rows())
        return
    if args.dossiers > SMALL:
        urls[SMALL] = dataset.build(SMALL)
    setup_django(urls[args.dossiers])

    from django.test.utils import override_settings

    from bench import writes

    with override_settings(ROOT_URLCONF="bench.urls"):
        databases = Databases(urls)
        measures = [m for m in plan_measures(databases, args.dossiers) if args.only in m.name]
        warm_up(measures, databases)
        run(measures, databases, args.repeat)
        rows = [m.row() for m in measures]
        databases.use(args.dossiers)
        if args.only in "transitions":
            rows += writes.measure(args.repeat)
        if args.history:
            rows += history_rows()
    print_table(rows)


def setup_django(url: str) -> None:
    # WhiteNoise warns when `collectstatic` has not run: the pages measured need no files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "labelflow.settings"
    # Transitions enqueue notifications: in this process only, never to a worker that would
    # read them against another database.
    os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
    import django

    django.setup()


class Databases:
    """The data sets of the run, one connection each; `use(n)` makes one the default
    connection, which every view reads through, and gives it its own keys in the cache (what
    a view keeps of one set is not the other's). Switching costs nothing timed: both
    connections stay open."""

    def __init__(self, urls: dict[int, str]):
        from django.db import connections

        self.connections = connections
        default = connections["default"]
        self.wrappers = {}
        for n in urls:
            if default.settings_dict["NAME"] == dataset.database_name(n):
                self.wrappers[n] = default
            else:
                settings = {**default.settings_dict, "NAME": dataset.database_name(n)}
                self.wrappers[n] = type(default)(settings, alias="default")

    def use(self, n: int) -> None:
        from django.core.cache import cache

        self.connections["default"] = self.wrappers[n]
        cache.key_prefix = dataset.database_name(n)


def plan_measures(databases: Databases, n: int) -> list[Measure]:
    databases.use(n)
    clients = {role: signed_in(username) for role, username in dataset.USERS.items()}
    measures = []
    for role, client in clients.items():
        measures += bare_measures(role, client, n)
    # The page keeps its list, and the API its count, until a certificate changes: their
    # cost as most visitors meet them (someone asked for the same just before, untimed),
    # and when they read them again.
    from certification.selectors import registry_changed

    public = anonymous()
    for page, path in (("web", "/registry/"), ("api", REGISTRY_API)):
        kept = Probe(n, public, path)
        kept.first = functools.partial(get, Probe(n, anonymous(), path))
        fresh = Probe(n, public, path, first=registry_changed)
        measures += [
            Measure(f"registry {page}", kept, Probe(n, public, BARE_REGISTRY), GOAL_BARE),
            Measure(f"registry {page}, fresh", fresh, Probe(n, public, BARE_REGISTRY), GOAL_BARE),
        ]  # fmt: skip
    if SMALL in databases.wrappers and n != SMALL:
        databases.use(SMALL)
        small = {role: signed_in(username) for role, username in dataset.USERS.items()}
        for role in clients:
            for page, path in (("api list", "/api/v1/dossiers/"), ("web dashboard", "/")):
                measures.append(Measure(
                    f"{role} {page} {n / 1000:g}k/1k", Probe(n, clients[role], path),
                    Probe(SMALL, small[role], path), GOAL_SCALE,
                ))  # fmt: skip
        measures.append(Measure(
            f"registry api {n / 1000:g}k/1k", Probe(n, public, REGISTRY_API),
            Probe(SMALL, anonymous(), REGISTRY_API), GOAL_SCALE,
        ))  # fmt: skip
    return measures


def bare_measures(role: str, client, n: int) -> list[Measure]:
    pk = showcase(client.bench_user)
    pages = [
        ("api list", "/api/v1/dossiers/", BARE_LIST),
        ("api detail", f"/api/v1/dossiers/{pk}/", f"/bench/bare/dossiers/{pk}/"),
        ("web dashboard", "/", BARE_DASHBOARD),
        ("web detail", f"/dossiers/{pk}/", f"/bench/bare/dossiers/{pk}/?page=1"),
    ]
    if role == "manager":  # OFFSET grows with the page: a page in the middle of everything
        deep = deep_page(client.bench_user)
        pages.insert(1, (f"api list p{deep}", f"/api/v1/dossiers/?page={deep}",
                         f"{BARE_LIST}?page={deep}"))  # fmt: skip
    return [
        Measure(f"{role} {page}", Probe(n, client, ours), Probe(n, client, base), GOAL_BARE)
        for page, ours, base in pages
    ]


def signed_in(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.bench_user = get_user_model().objects.get(username=username)
    client.force_login(client.bench_user)
    return client


def anonymous():
    from django.test import Client

    client = Client()
    client.bench_user = None
    return client


def showcase(user) -> int:
    from bench.bare import visible_dossiers

    dossiers = visible_dossiers(user)
    for state in SHOWCASE_STATES:
        pk = dossiers.filter(state=state).order_by("id").values_list("pk", flat=True).first()
        if pk is not None:
            return pk
    return dossiers.order_by("id").values_list("pk", flat=True).first()


def deep_page(user) -> int:
    from bench.bare import PAGE_SIZE, visible_dossiers

    pages = -(-visible_dossiers(user).count() // PAGE_SIZE)
    return max(1, pages // 2)


def warm_up(measures: list[Measure], databases: Databases) -> None:
    """An untimed round to fill the caches (templates, URL resolver, content types), then a
    second one that checks both sides answer 200 and, for lists, the same rows, and counts
    each side's queries once warm."""
    from django.test.utils import CaptureQueriesContext

    for measure in measures:
        for probe in (measure.ours, measure.baseline):
            databases.use(probe.database)
            get(probe)
    print("# queries per request: ours / baseline")
    for measure in measures:
        counts, bodies = [], []
        for probe in (measure.ours, measure.baseline):
            databases.use(probe.database)
            if probe.first is not None:
                probe.first()
            with CaptureQueriesContext(databases.connections["default"]) as queries:
                bodies.append(get(probe))
            counts.append(len(queries))
        note = same_rows(measure, *bodies)
        print(f"#   {measure.name}: {counts[0]} / {counts[1]}{note}")


def same_rows(measure: Measure, ours, baseline) -> str:
    if "/1k" in measure.name:
        return ""
    if measure.name.startswith("registry api"):  # its count: an estimate past 500 (`paging`)
        ours, baseline = ours.json(), baseline.json()
        numbers = [[r["certificate_number"] for r in side["results"]] for side in (ours, baseline)]
        differ = "rows differ" if numbers[0] != numbers[1] else "same rows"
        return f"  ({differ}; count {ours['count']} vs {baseline['count']})"
    if "list" not in measure.name:
        return ""
    ours, baseline = ours.json(), baseline.json()
    ids = [r["id"] for r in ours["results"]], [r["id"] for r in baseline["results"]]
    if ids[0] != ids[1]:
        return f"  (rows differ: {ours['count']} vs {baseline['count']})"
    if ours["count"] != baseline["count"]:  # past `Paginator.EXACT_UP_TO`, an estimate
        return f"  (same rows; count {ours['count']}, estimated, vs {baseline['count']})"
    return ""


def run(measures: list[Measure], databases: Databases, repeat: int) -> None:
    gc.collect()
    gc.freeze()  # the set-up's objects need no more collecting: fewer, shorter pauses
    for round_ in range(repeat):
        for measure in measures:
            # Alternate who goes first, so that neither always runs on a warmer cache.
            pair = [(measure.ours, measure.ours_ms), (measure.baseline, measure.baseline_ms)]
            for probe, times in pair if round_ % 2 == 0 else reversed(pair):
                databases.use(probe.database)
                times.append(timed(probe))
        print(f"# round {round_ + 1}/{repeat}", file=sys.stderr, flush=True)


def timed(probe: Probe) -> float:
    if probe.first is not None:
        probe.first()
    started = time.perf_counter()
    get(probe)
    return (time.perf_counter() - started) * 1000


def get(probe: Probe):
    # secure=True: the production settings redirect plain HTTP to HTTPS.
    response = probe.client.get(probe.path, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {probe.path} on {probe.database}: {response.status_code}")
    return response


def history_rows() -> list[tuple]:
    """`verify_history()` over the whole set, once, against a checkpoint written just before
    to an S3 server of our own (`bench.upload.s3_server`): its time and the growth of the
    process's peak RSS (VmHWM, reset first). No baseline, no goal."""
    from bench.upload import MB, peak_rss, reset_peak_rss, s3_server
    from certification.services.history import verify_history, write_checkpoint

    with s3_server():
        started = time.perf_counter()
        write_checkpoint()
        print(f"# checkpoint written in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        gc.collect()
        before = reset_peak_rss()
        started = time.perf_counter()
        check = verify_history()
        seconds = time.perf_counter() - started
        growth = (peak_rss() - before) / MB
    print(f"# verify_history: {check.entries:,} entries of {check.dossiers:,} dossiers, "
          f"{'intact' if check.intact else f'{len(check.altered)} altered'}, "
          f"checkpoint {check.checkpoint or 'none'}")  # fmt: skip
    return [
        (f"verify_history {check.entries / 1000:.0f}k entries (s)", f"{seconds:.1f}", "-", "-",
         "-", None),
        ("verify_history peak RSS growth (MB)", f"{growth:.1f}", "-", "-", "-", None),
    ]  # fmt: skip


def print_table(rows: list[tuple]) -> None:
    """One line per row: name, ours, baseline, ratio, goal (texts) and met (None: no goal)."""
    width = max(len(row[0]) for row in rows)
    print(f"{'name':<{width}}  {'ours':>9}  {'baseline':>9}  {'ratio':>6}  {'goal':>8}  result")
    for name, ours, base, ratio, goal, met in rows:
        result = "-" if met is None else "met" if met else "missed"
        print(f"{name:<{width}}  {ours:>9}  {base:>9}  {ratio:>6}  {goal:>8}  {result}")
    judged = [row[-1] for row in rows if row[-1] is not None]
    print(f"{sum(judged)} met, {len(judged) - sum(judged)} missed")


if __name__ == "__main__":
    main()
