"""Periodic tasks, run by Celery beat (`CELERY_BEAT_SCHEDULE`). A module apart from `tasks`:
these run transitions, and the transition service enqueues the tasks of `tasks`."""

from celery import shared_task
from django.utils import timezone

from .models import Dossier
from .services import history
from .services.transitions import SYSTEM, perform_transition


@shared_task
def expire_awards() -> int:
    """Expire the labels whose validity has ended, suspended ones included."""
    due = list(
        Dossier.objects.filter(
            state__in=[Dossier.State.AWARDED, Dossier.State.SUSPENDED],
            certificate__valid_until__lt=timezone.localdate(),
        ).values_list("pk", flat=True)
    )
    for pk in due:
        perform_transition(dossier=Dossier(pk=pk), name="expire", by=SYSTEM)
    return len(due)


@shared_task
def checkpoint_history() -> str:
    """Anchor every dossier's last log entry in the object store, signed
    (`HISTORY_CHECKPOINT_SECONDS`); return the checkpoint's key."""
    return history.write_checkpoint()
