"""Names found the way people type them: whatever the case, the accents, the hyphens and the
apostrophes ("saint etienne" finds Saint-Étienne, "l hay" L'Haÿ-les-Roses).

Both sides of a comparison go through the database function `labelflow_fold`: on
PostgreSQL, `unaccent` and `upper` (migration 0008, which also indexes the collectivities'
folded names by trigrams); on SQLite, `fold` below, registered on each connection. The two
agree on French names; for letters outside Latin scripts each database keeps its own rules,
applied to the name and the search alike."""

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


class Folded:
    """Both sides of the comparison folded by the database's `labelflow_fold`."""

    def process_lhs(self, compiler, connection, lhs=None):
        sql, params = super().process_lhs(compiler, connection, lhs)
        return f"labelflow_fold({sql})", params

    def get_rhs_op(self, connection, rhs):
        return connection.operators[self.operator] % f"labelflow_fold({rhs})"


class FoldedContains(Folded, Contains):
    """`name__folded_contains="saint etienne"`: part of the name, as people type it."""

    lookup_name = "folded_contains"
    operator = "contains"


class FoldedExact(Folded, Exact):
    """`department__folded_exact="deux sevres"`: the whole value, as people type it."""

    lookup_name = "folded_exact"
    operator = "exact"


def register() -> None:
    for field in (CharField, TextField):
        field.register_lookup(FoldedContains)
        field.register_lookup(FoldedExact)


def on_sqlite_connection(sender, connection, **kwargs) -> None:
    """SQLite learns `labelflow_fold` on each new connection (PostgreSQL has it from its
    migration)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("labelflow_fold", 1, fold, deterministic=True)
