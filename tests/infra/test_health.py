"""`/health/` reports the database, the object store and the broker."""

import socket
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.test import Client

from documents import storage
from labelflow import health

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


def test_it_is_ok_when_everything_is_up():
    response = Client().get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok", "object_store": "ok", "broker": "ok", "status": "ok",
    }  # fmt: skip


def test_it_names_the_object_store_when_it_is_down(store_down):
    response = Client().get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["object_store"] == "down"
    assert body["database"] == body["broker"] == "ok"
    assert body["status"] == "down"


def test_it_needs_no_sign_in():
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
    assert response.json()["object_store"] == "ok"
