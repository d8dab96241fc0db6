from celery import shared_task

from .models import Assignment
from .notifications import notify_assignment as send_assignment_notice


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_assignment(assignment_id: int) -> int:
    assignment = Assignment.objects.select_related(
        "auditor", "dossier__collectivity", "dossier__campaign"
    ).get(pk=assignment_id)
    return send_assignment_notice(assignment)


@shared_task
def open_due_surveillances() -> int:
    """Daily (`CELERY_BEAT_SCHEDULE`): open the surveillance audits that are due."""
    from . import surveillance  # which reads certification's awards

    return surveillance.open_due()
