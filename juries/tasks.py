from celery import shared_task

from . import notifications
from .models import JuryMember


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def remind_juror(member_id: int) -> int:
    member = JuryMember.objects.select_related("juror", "jury__campaign").get(pk=member_id)
    return notifications.remind_juror(member)
