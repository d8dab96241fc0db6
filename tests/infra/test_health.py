"""`/health/` reports the database, the object store, the broker and the workers."""

import socket
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client

from documents import storage
from labelflow import health
from labelflow.celery import app

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # free once the socket closes: nothing listens there


@pytest.fixture
def store_down(settings):
    storage.client.cache_clear()
    settings.S3_ENDPOINT = urlparse(f"http://127.0.0.1:{closed_port()}")
    yield
    storage.client.cache_clear()


@pytest.fixture
def worker():
    """A real worker, in this process, on the settings' broker. Its start closes the
    database connections (Celery's Django fix-up): the tests using it run outside a test
    transaction."""
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        yield


@pytest.mark.django_db(transaction=True)
def test_it_is_ok_when_everything_is_up(worker):
    response = Client().get("/health/")

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "database": "ok", "object_store": "ok", "broker": "ok", "workers": "ok", "status": "ok",
    }  # fmt: skip


def test_it_names_the_workers_when_none_runs():
    response = Client().get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["workers"] == "down"
    assert body["database"] == body["object_store"] == body["broker"] == "ok"


def test_it_names_the_object_store_when_it_is_down(store_down):
    response = Client().get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["object_store"] == "down"
    assert body["database"] == body["broker"] == "ok"
    assert body["status"] == "down"


@pytest.mark.django_db(transaction=True)
def test_it_needs_no_sign_in(worker):
    assert Client().get("/health/").status_code == 200


@pytest.fixture
def broker_down(monkeypatch):
    """The health view reads the broker from the Celery app: point it at a closed port."""
    conf = SimpleNamespace(
        broker_url=f"redis://127.0.0.1:{closed_port()}/0", broker_transport_options={}
    )
    monkeypatch.setattr(health, "app", SimpleNamespace(conf=conf))


def test_it_names_the_broker_when_it_is_down(broker_down):
    response = Client().get("/health/")

    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["workers"] == "down"
    assert response.json()["object_store"] == "ok"
