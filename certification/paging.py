"""Pages whose cost does not grow with the table: a list shows 25 rows, and counting every
row a manager can see (the whole table) on every page would cost more than the page."""

import json

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Paginator(DjangoPaginator):
    """Django's paginator with a bounded count: exact up to `EXACT_UP_TO` rows; beyond, on
    PostgreSQL, the query planner's estimate (as "about 100,000 results"), and the pages past
    it stay reachable."""

    EXACT_UP_TO = 500

    def __init__(self, object_list, per_page, *args, lines=None, kept=None, **kwargs):
        """`lines`, if given, turns a page's rows (a query) into what the page shows, e.g.
        joining the names it lists: only the page's rows pay for it, not the count.
        `kept`, if given, is a (cache key, seconds) pair to keep the count under, for a list
        that is the same for every visitor (the registry's): its other pages count nothing."""
        super().__init__(object_list, per_page, *args, **kwargs)
        self.lines = lines or (lambda rows: rows)
        self.kept = kept

    @cached_property
    def count(self) -> int:
        if self.kept is None:
            return self._count()
        key, seconds = self.kept
        if (known := cache.get(key)) is not None:
            self._exact, count = known
            return count
        count = self._count()
        cache.set(key, (self._exact, count), seconds)
        return count

    def _count(self) -> int:
        # Any rows will do to count them: no order, no columns but the key.
        counted = self.object_list.order_by().values("pk")[: self.EXACT_UP_TO + 1].count()
        if counted <= self.EXACT_UP_TO:
            self._exact = True
            return counted
        estimate = estimated_rows(self.object_list)
        # The planner's statistics may not see through a permission subquery: an estimate
        # below what was just counted is no estimate; count then.
        self._exact = estimate <= self.EXACT_UP_TO
        return self.object_list.count() if self._exact else estimate

    @property
    def exact(self) -> bool:
        """Whether `count` is exact (counting it first if needed)."""
        return self.count is not None and self._exact

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        # An estimate: any page from 1 on may hold rows.
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(_("That page number is not an integer")) from exc
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.exact and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    # From this row on, a page reads its keys first, then its rows by key.
    KEYS_FIRST_FROM = 500

    def _rows(self, bottom: int, top: int):
        """The page's rows. Deep in a list, PostgreSQL would join every skipped row before
        dropping it (page 2,000 of the manager's list sorted 50,000 joined rows on disk):
        the keys are taken from the list's index first, then only their rows are read."""
        if not isinstance(self.object_list, QuerySet):
            return self.object_list[bottom:top]
        if bottom < self.KEYS_FIRST_FROM:
            return self.lines(self.object_list[bottom:top])
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = self.lines(self.object_list.filter(pk__in=keys)).in_bulk()
        return [found[key] for key in keys if key in found]


def estimated_rows(queryset) -> int:
    """The number of rows PostgreSQL's planner expects `queryset` to return (its statistics,
    no scan); an exact count on other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count()
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])
