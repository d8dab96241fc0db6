from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from kombu import Connection

from documents import storage

from .celery import app


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001  (any failure means "down")
        return False


def _broker() -> bool:
    try:
        with Connection(app.conf.broker_url, transport_options=app.conf.broker_transport_options,
                        connect_timeout=2) as conn:  # fmt: skip
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:  # noqa: BLE001
        return False


@require_GET
def health(request):
    checks = {"database": _database(), "object_store": storage.is_up(), "broker": _broker()}
    body = {name: "ok" if up else "down" for name, up in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "down"
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
