"""The national-scale data set for benchmarks, one PostgreSQL database per size.

`build(n)` returns the URL of `labelflow_bench_<n>`, holding n dossiers with their
collectivities, members, auditors, committee, hash-chained history, answers, evidence and
audits. It creates and migrates the database and fills it (`bench.rows`, in a subprocess
whose default database is that one) unless the database already holds a complete set: a row
in the `bench_dataset` table, written in the same transaction as the data, for this size,
this builder's VERSION and these migrations. Anything else (a crash half-way, a newer
migration) is dropped and built again.

Importable before Django is set up, so that a harness can build first and configure Django
for the database it gets. From the shell:

    .venv/bin/python -m bench.dataset --dossiers 100000 [--rebuild]
"""

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

PROJECT = Path(__file__).resolve().parent.parent
SERVER_URL = "postgres://postgres@127.0.0.1:5432/"
MARKER = "bench_dataset"
VERSION = 7  # bump when bench.rows writes different rows: older sets are then rebuilt

# The named users every benchmark signs in as (their rows are in every set).
USERS = {
    "referent": "bench-referent",
    "auditor": "bench-auditor",
    "committee": "bench-committee",
    "manager": "bench-manager",
}


def database_name(n_dossiers: int) -> str:
    return f"labelflow_bench_{n_dossiers}"


def database_url(n_dossiers: int, server_url: str | None = None) -> str:
    """The bench database's URL on the server of `server_url` (default: $DATABASE_URL,
    whatever database it names, else the local server)."""
    server = server_url or os.environ.get("DATABASE_URL") or SERVER_URL
    return urlsplit(server)._replace(path=f"/{database_name(n_dossiers)}").geturl()


def build(n_dossiers: int, *, server_url: str | None = None, log=print) -> str:
    """The URL of a database holding the set of `n_dossiers`, built if it is not there."""
    url = database_url(n_dossiers, server_url)
    name = database_name(n_dossiers)
    if _complete(url, n_dossiers):
        log(f"{name}: complete, reused")
        return url
    log(f"{name}: building {n_dossiers:,} dossiers")
    started = time.perf_counter()
    _recreate(url)
    _python(url, "manage.py", "migrate", "--verbosity=0")
    log(f"  created and migrated: {time.perf_counter() - started:.1f}s")
    _python(url, "-m", "bench.dataset", "--dossiers", str(n_dossiers), "--fill")
    log(f"{name}: built in {time.perf_counter() - started:.1f}s")
    return url


def drop(n_dossiers: int, *, server_url: str | None = None) -> None:
    _execute_on_server(
        database_url(n_dossiers, server_url),
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(database_name(n_dossiers))
        ),
    )


def migrations_fingerprint() -> str:
    """What the schema is made of: a set built on other migrations is rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(PROJECT.glob("*/migrations/*.py")):
        digest.update(path.relative_to(PROJECT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _complete(url: str, n_dossiers: int) -> bool:
    try:
        connection = psycopg.connect(url, connect_timeout=5)
    except psycopg.OperationalError:  # no such database yet
        return False
    with connection:
        if connection.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0] is None:
            return False
        row = connection.execute(
            sql.SQL("SELECT n_dossiers, version, migrations FROM {}").format(sql.Identifier(MARKER))
        ).fetchone()
    return row == (n_dossiers, VERSION, migrations_fingerprint())


def _recreate(url: str) -> None:
    name = sql.Identifier(urlsplit(url).path.lstrip("/"))
    _execute_on_server(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    _execute_on_server(url, sql.SQL("CREATE DATABASE {}").format(name))


def _execute_on_server(url: str, statement: sql.Composable) -> None:
    """Run a statement from the server's maintenance database (CREATE/DROP DATABASE cannot
    run inside the database they name, nor in a transaction)."""
    maintenance = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(statement)


def _python(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "labelflow.settings"}
    subprocess.run([sys.executable, *args], cwd=PROJECT, env=env, check=True)


def _fill(n_dossiers: int) -> None:
    """Fill the (migrated, empty) database of $DATABASE_URL: the subprocess's work."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelflow.settings")
    django.setup()
    from bench import rows

    rows.fill(n_dossiers, version=VERSION, migrations=migrations_fingerprint(), marker=MARKER)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, required=True)
    parser.add_argument("--rebuild", action="store_true", help="drop the set and build it again")
    parser.add_argument("--fill", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fill:
        _fill(args.dossiers)
        return
    if args.rebuild:
        drop(args.dossiers)
    print(build(args.dossiers))


if __name__ == "__main__":
    main()
