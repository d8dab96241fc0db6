"""A transition's mail goes out through a real Celery worker and the configured broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail

from certification.services.transitions import perform_transition
from labelflow.celery import app
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker():
    """An in-process worker consuming from the settings' broker; yields the names of the
    tasks it ran."""
    ran: list[str] = []

    def record(sender=None, **kwargs):
        ran.append(sender.name)

    app.control.purge()  # messages left by earlier runs name rows that no longer exist
    task_postrun.connect(record, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
            yield ran
    finally:
        task_postrun.disconnect(record)


def wait_for(predicate, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_the_referent_hears_of_a_transition_through_the_worker(worker):
    dossier = factories.DossierFactory(state="submitted")
    referent = dossier.cast.referent
    mail.outbox.clear()  # the submission's own mail may or may not be out yet

    perform_transition(dossier=dossier, name="declare_admissible", by=dossier.cast.manager)

    def received() -> bool:
        # In French, the default language: the worker serves no request to ask another.
        return any(referent.email in m.to and "Recevable" in m.subject for m in list(mail.outbox))

    assert wait_for(received), [(m.to, m.subject) for m in mail.outbox]
    assert "certification.tasks.notify_transition" in worker
    assert not app.conf.task_always_eager
