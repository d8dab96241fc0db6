"""Searching a collectivity by part of its name (the registry, the dashboards, the API, the
back office: `name__icontains`, which PostgreSQL runs as `UPPER(name::text) LIKE '%…%'`)
read every collectivity: over 35,000 of them, the count of a search took 6 ms, and the
manager's dashboard searching 100,000 dossiers 37 ms (25 ms with this index). A trigram
index of the upper-cased name serves any part of it.

PostgreSQL only (the embedded SQLite set is small): `pg_trgm` ships with PostgreSQL and is a
trusted extension, which the database's owner may create."""

from django.db import migrations

INDEX = "collectivity_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON certification_collectivity"
        " USING gin (UPPER(name::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("certification", "0007_committee_by_referral")]

    operations = [migrations.RunPython(create, drop)]
