"""Names found as people type them (`certification.folding`), fast: the database function
`labelflow_fold` (upper case, no accents, hyphens and apostrophes as spaces), the
collectivities' folded names, departments and regions kept by the database, the names'
trigram index and the places' indexes.

Searching by part of a name (the registry, the dashboards, the API, the back office) read
every collectivity: on the benchmark's 35,000, the registry's page searching "123" as it
writes its list took 14.3 ms without the trigram index, 6.6 ms with it.

PostgreSQL only: `unaccent` and `pg_trgm` ship with it and are trusted extensions, which the
database's owner may create. SQLite (the embedded set is small) gets the function from
`folding.on_sqlite_connection` and reads every folded name."""

from django.db import migrations, models

FOLD = """
    CREATE OR REPLACE FUNCTION labelflow_fold(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT translate(upper({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)),
                               '-''’', '   ') $$
"""
INDEX = "collectivity_folded_name_trgm"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with schema_editor.connection.cursor() as cursor:  # wherever it was installed
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
        [schema] = cursor.fetchone()
    schema_editor.execute(FOLD.format(schema=schema_editor.quote_name(schema)))


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS labelflow_fold(text)")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON certification_collectivity"
            " USING gin (folded_name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("certification", "0007_committee_by_referral")]

    operations = [
        migrations.RunPython(create_function, drop_function),
        *(
            migrations.AddField(
                model_name="collectivity",
                name=f"folded_{field}",
                field=models.GeneratedField(
                    db_persist=True,
                    expression=models.Func(field, function="labelflow_fold"),
                    output_field=models.TextField(),
                ),
            )
            for field in ("name", "department", "region")
        ),
        migrations.AddIndex(
            model_name="collectivity",
            index=models.Index(fields=["folded_department"], name="collectivity_department"),
        ),
        migrations.AddIndex(
            model_name="collectivity",
            index=models.Index(fields=["folded_region"], name="collectivity_region"),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
