from celery import shared_task
from django.utils import timezone

from audits.models import Assignment

from .models import Dossier, TransitionLog
from .services import notifications
from .services.transitions import SYSTEM, perform_transition


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_transition(log_id: int) -> int:
    log = TransitionLog.objects.select_related("dossier__collectivity", "dossier__campaign").get(
        pk=log_id
    )
    return notifications.notify_transition(log)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_assignment(assignment_id: int) -> int:
    assignment = Assignment.objects.select_related(
        "auditor", "dossier__collectivity", "dossier__campaign"
    ).get(pk=assignment_id)
    return notifications.notify_assignment(assignment)


@shared_task
def expire_awards() -> int:
    """Expire the labels whose validity has ended (scheduled by Celery beat)."""
    due = list(
        Dossier.objects.filter(
            state="awarded", certificate__valid_until__lt=timezone.localdate()
        ).values_list("pk", flat=True)
    )
    for pk in due:
        perform_transition(dossier=Dossier(pk=pk), name="expire", by=SYSTEM)
    return len(due)
