"""Lists count exactly up to a bound, then take the database's estimate, and every page
past the estimate stays reachable."""

import pytest

from certification.models import Collectivity
from certification.paging import Paginator, estimated_rows
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(monkeypatch):
    monkeypatch.setattr(Paginator, "EXACT_UP_TO", 5)
    for _ in range(12):
        factories.CollectivityFactory()
    return Collectivity.objects.order_by("name", "id")


def test_a_short_list_is_counted_exactly(monkeypatch):
    monkeypatch.setattr(Paginator, "EXACT_UP_TO", 5)
    for _ in range(3):
        factories.CollectivityFactory()
    paginator = Paginator(Collectivity.objects.order_by("id"), 2)
    assert (paginator.count, paginator.exact, paginator.num_pages) == (3, True, 2)


def test_a_long_list_takes_the_estimate_and_keeps_every_page(twelve):
    paginator = Paginator(twelve, 5)
    assert paginator.exact is False
    assert paginator.count == max(6, estimated_rows(twelve))
    pages = [list(paginator.page(n)) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [5, 5, 2]
    assert sum(pages, []) == list(twelve)
    assert list(paginator.page(9)) == []  # past the rows: empty, not an error


def test_the_estimate_reads_no_rows_on_postgresql(twelve, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert estimated_rows(twelve) >= 1


def test_an_estimate_below_what_was_counted_gives_way_to_an_exact_count(twelve, monkeypatch):
    monkeypatch.setattr("certification.paging.estimated_rows", lambda queryset: 2)
    paginator = Paginator(twelve, 5)
    assert (paginator.count, paginator.exact, paginator.num_pages) == (12, True, 3)


@pytest.mark.parametrize("exact", [True, False])
def test_a_deep_page_reads_its_keys_first_and_the_same_rows(
    twelve, monkeypatch, exact, django_assert_num_queries
):
    """Past `KEYS_FIRST_FROM` rows a page reads its keys, then its rows: the same rows, in
    the list's order, whether the count is exact or an estimate."""
    if exact:
        monkeypatch.setattr(Paginator, "EXACT_UP_TO", 50)
    shallow = [list(Paginator(twelve, 5).page(n)) for n in (1, 2, 3)]
    monkeypatch.setattr(Paginator, "KEYS_FIRST_FROM", 5)
    paginator = Paginator(twelve, 5)
    assert paginator.exact is exact
    assert list(paginator.page(1)) == shallow[0]
    with django_assert_num_queries(2):  # the keys, then the rows
        second = list(paginator.page(2))
    assert [second, list(paginator.page(3))] == shallow[1:]
