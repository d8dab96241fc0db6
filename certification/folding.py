"""Names found the way people type them: whatever the case, the accents, the hyphens and the
apostrophes ("saint etienne" finds Saint-Étienne, "l hay" L'Haÿ-les-Roses).

The database function `labelflow_fold` folds a text so: on PostgreSQL, `unaccent` and
`upper` (migration 0008); on SQLite, `fold` below, registered on each connection. The two
agree on French names (a test compares them). A collectivity keeps its name, department and
region folded (`Collectivity.folded_name`…, computed by the database; the name indexed by
trigrams on PostgreSQL), so that a search folds only what was typed, not every row it reads
(folding 15,000 certificates' regions took 80 ms a search)."""

import unicodedata

from django.db.models import CharField, TextField
from django.db.models.lookups import Contains, Exact

# What a name's spelling may vary by, besides accents and case: read as a space.
SEPARATORS = "-'’"
LIGATURES = {"Œ": "OE", "Æ": "AE", "ß": "SS"}


def fold(text: str | None) -> str | None:
    """`text` upper-cased, without accents, its hyphens and apostrophes read as spaces."""
    if text is None:
        return None
    text = unicodedata.normalize("NFKD", text.upper())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    return text.translate({ord(ch): " " for ch in SEPARATORS})


class Typed(Contains):
    """`folded_name__typed="saint etienne"`: a folded column holding what was typed, folded
    the same way (LIKE's wildcards typed are looked for as such)."""

    lookup_name = "typed"

    def get_rhs_op(self, connection, rhs):
        return connection.operators["contains"] % f"labelflow_fold({rhs})"


class TypedExact(Exact):
    """`folded_department__typed_exact="deux sevres"`: a folded column equal to what was
    typed, folded the same way."""

    lookup_name = "typed_exact"

    def get_rhs_op(self, connection, rhs):
        return connection.operators["exact"] % f"labelflow_fold({rhs})"


def register() -> None:
    for field in (CharField, TextField):
        field.register_lookup(Typed)
        field.register_lookup(TypedExact)


def on_sqlite_connection(sender, connection, **kwargs) -> None:
    """SQLite learns `labelflow_fold` on each new connection (PostgreSQL has it from its
    migration)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("labelflow_fold", 1, fold, deterministic=True)
