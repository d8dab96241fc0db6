"""Two people run the same transition on the same dossier at the same moment."""

import threading
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection

from certification import tasks
from certification.errors import Conflict
from certification.models import Dossier, TransitionLog
from certification.services import transitions
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (CI runs PostgreSQL)",
    ),
]


def hold_the_transaction_open(*args, **kwargs):
    """Called as the transition enqueues its notification, after the state changed: wait a
    moment, so that without the row lock the other thread would read the old state and
    succeed too."""
    time.sleep(0.3)


def race(dossier_pk: int, name: str, users: list, **kwargs) -> list:
    start = threading.Barrier(len(users))
    outcomes: list = [None] * len(users)

    def attempt(i, user):
        try:
            start.wait(timeout=10)
            dossier = Dossier(pk=dossier_pk)
            outcomes[i] = transitions.perform_transition(
                dossier=dossier, name=name, by=user, **kwargs
            )
        except Exception as exc:  # noqa: BLE001  (the outcome is what the test looks at)
            outcomes[i] = exc
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=attempt, args=(i, u)) for i, u in enumerate(users)]
    with mock.patch.object(
        tasks.notify_transition, "delay_on_commit", side_effect=hold_the_transaction_open
    ):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    return outcomes


def test_two_managers_declaring_admissible_at_once_succeed_exactly_once():
    dossier = factories.DossierFactory(state="submitted")
    first, second = factories.manager(), factories.manager()

    outcomes = race(dossier.pk, "declare_admissible", [first, second])

    succeeded = [o for o in outcomes if isinstance(o, Dossier)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(succeeded) == 1 and len(refused) == 1, outcomes
    logs = TransitionLog.objects.filter(dossier=dossier, transition="declare_admissible")
    assert logs.count() == 1
    dossier.refresh_from_db()
    assert dossier.state == "admissible"


def test_two_referents_submitting_at_once_submit_once():
    dossier = factories.DossierFactory(state="submitted")
    referent = dossier.cast.referent
    transitions.perform_transition(
        dossier=dossier, name="return_for_completion", by=dossier.cast.manager, comment="A-1 ?"
    )
    other = factories.member(dossier.collectivity, "referent")

    outcomes = race(dossier.pk, "submit", [referent, other])

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Dossier"], outcomes
    assert TransitionLog.objects.filter(dossier=dossier, transition="submit").count() == 2
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
