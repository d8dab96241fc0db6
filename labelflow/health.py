"""`/health/`: whether each part labelflow needs answers, and which one does not."""

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


def _workers(broker_up: bool) -> bool:
    """At least one Celery worker answers a ping within a second (none can if the broker is
    down: no need to wait for them then)."""
    if not broker_up:
        return False
    try:
        return bool(app.control.ping(timeout=1.0))
    except Exception:  # noqa: BLE001
        return False


@require_GET
def health(request):
    broker = _broker()
    checks = {"database": _database(), "object_store": storage.is_up(), "broker": broker,
              "workers": _workers(broker)}  # fmt: skip
    body = {name: "ok" if up else "down" for name, up in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "down"
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
