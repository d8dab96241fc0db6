from celery import shared_task

from .models import TransitionLog
from .services import notifications


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_transition(log_id: int) -> int:
    log = TransitionLog.objects.select_related("dossier__collectivity", "dossier__campaign").get(
        pk=log_id
    )
    return notifications.notify_transition(log)
