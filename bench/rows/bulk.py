"""Writing rows fast: COPY into a model's table, ids chosen before writing."""

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max


def copy(model, fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """COPY rows into the model's table; `fields` are model field names."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as stream:
        for row in rows:
            stream.write_row(row)
            count += 1
    print(f"    {model._meta.db_table}: {count:,}", flush=True)
    return count


class Ids:
    """Ids chosen before writing, so that rows can name each other without reading back;
    the tables' sequences are moved past them at the end."""

    def __init__(self):
        self.next: dict = {}

    def take(self, model, count: int) -> range:
        start = self.next.get(model)
        if start is None:
            start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.next[model] = start + count
        return range(start, start + count)

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(self.next)):
                cursor.execute(statement)
