"""Names found as people type them (`certification.folding`): whatever the case, the
accents, the hyphens and the apostrophes, on the registry, the dashboards and in the back
office; and by the folded names' trigram index on PostgreSQL, not by reading every name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification import selectors
from certification.folding import fold
from certification.models import Award, Collectivity
from tests import factories

pytestmark = pytest.mark.django_db

NAMES = ["Saint-Étienne", "L'Haÿ-les-Roses", "Œuilly", "Lœuilly", "Sèvres", "Niort"]


@pytest.mark.parametrize(("typed", "found"), [
    ("saint etienne", ["Saint-Étienne"]),
    ("SAINT-ÉTIENNE", ["Saint-Étienne"]),
    ("l hay", ["L'Haÿ-les-Roses"]),
    ("l’haÿ les", ["L'Haÿ-les-Roses"]),
    ("oeuilly", ["Lœuilly", "Œuilly"]),
    ("sevres", ["Sèvres"]),
    ("%", []),  # a wildcard typed is a character looked for
    ("_", []),
])  # fmt: skip
def test_a_name_is_found_as_people_type_it(typed, found):
    for name in NAMES:
        factories.CollectivityFactory(name=name)
    names = Collectivity.objects.filter(folded_name__typed=typed).order_by("name")
    assert [c.name for c in names] == found


def test_the_registry_finds_a_name_a_department_and_a_region_as_people_type_them():
    holder = factories.CollectivityFactory(name="Saint-Étienne", department="Loire",
                                           region="Auvergne-Rhône-Alpes")  # fmt: skip
    dossier = factories.DossierFactory(state="awarded", collectivity=holder)
    award = Award.objects.get(dossier=dossier)
    assert list(selectors.registry(search="st etienne")) == []
    assert list(selectors.registry(search="saint etienne")) == [award]
    assert list(selectors.registry(region="auvergne rhone alpes")) == [award]
    assert list(selectors.registry(department="LOIRE")) == [award]
    assert list(selectors.registry(department="Loire-Atlantique")) == []


def test_the_managers_search_finds_a_name_as_people_type_it():
    dossier = factories.DossierFactory(collectivity=factories.CollectivityFactory(name="Sèvres"))
    factories.DossierFactory(collectivity=factories.CollectivityFactory(name="Niort"))
    found = selectors.manager_dossiers(factories.manager(), search="sevres")
    assert list(found) == [dossier]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's is `fold` itself")
def test_python_folds_as_postgresql_does():
    """SQLite's `labelflow_fold` is `fold`; PostgreSQL's is `unaccent` and `upper`."""
    with connection.cursor() as cursor:
        for name in [*NAMES, "Aÿ-Champagne", "Œ æ ß", "ÉÈÊËÀÂÎÏÔÛÙÜÇ"]:
            cursor.execute("SELECT labelflow_fold(%s)", [name])
            assert cursor.fetchone()[0] == fold(name), name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index")
def test_a_search_by_part_of_a_name_can_read_the_folded_names_trigram_index():
    """The index is built on the very expression the lookup writes: whether PostgreSQL
    prefers it is its planner's choice by the table's statistics (`bench/` measures it)."""
    Collectivity.objects.bulk_create(
        Collectivity(name=f"Collectivité {n}", kind="commune", siren=factories.valid_siren(n),
                     population=1000)
        for n in range(2000)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        found = list(Collectivity.objects.filter(folded_name__typed="collectivite 123"))
    assert len(found) == 11  # 123 and 1230 to 1239
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # any way but reading every row
        cursor.execute("EXPLAIN " + queries.captured_queries[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "collectivity_folded_name_trgm" in plan, plan
