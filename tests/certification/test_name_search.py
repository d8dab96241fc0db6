"""Finding a collectivity by part of its name (the registry's search, the manager's, the
API's, the back office's: `name__icontains`) can read the name's trigram index: the index is
built on the very expression Django writes for the lookup. Whether PostgreSQL prefers it is
its planner's choice, by the table's statistics: `bench/` measures it at national scale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.models import Collectivity
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index"),
]


def test_a_search_by_part_of_a_name_can_read_the_names_trigram_index():
    Collectivity.objects.bulk_create(
        Collectivity(name=f"Collectivité {n}", kind="commune", siren=factories.valid_siren(n),
                     population=1000)
        for n in range(2000)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        found = list(Collectivity.objects.filter(name__icontains="TIVITÉ 123"))
    assert [c.name for c in found] == ["Collectivité 123", "Collectivité 1230",
                                       "Collectivité 1231", "Collectivité 1232",
                                       "Collectivité 1233", "Collectivité 1234",
                                       "Collectivité 1235", "Collectivité 1236",
                                       "Collectivité 1237", "Collectivité 1238",
                                       "Collectivité 1239"]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # any way but reading every row
        cursor.execute("EXPLAIN " + queries.captured_queries[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "collectivity_name_trgm" in plan, plan
