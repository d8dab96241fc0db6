from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from audits.models import IssuedReport
from certification.errors import StoreUnavailable
from certification.models import Award

from . import certificates, integrity, reports, services
from .models import Document
from .notifications import notify_quarantine as send_quarantine_notice
from .scanning import ScannerUnavailable


@shared_task(bind=True)
def scan_document(self, document_id: int) -> str:
    """Scan one file. When clamd or the store is down, the file stays `pending` (with the
    reason) and the scan is tried again later, SCAN_RETRY_SECONDS doubling each time; once
    SCAN_MAX_RETRIES are spent it is `error`."""
    document = Document.objects.get(pk=document_id)
    try:
        return services.document_scan(document=document).scan_status
    except (ScannerUnavailable, StoreUnavailable) as exc:
        if self.request.retries >= settings.SCAN_MAX_RETRIES:
            return services.document_scan_failed(document=document, reason=str(exc)).scan_status
        services.document_scan_postponed(document=document, reason=str(exc))
        delay = get_exponential_backoff_interval(
            settings.SCAN_RETRY_SECONDS, self.request.retries, maximum=3600, full_jitter=False
        )
        raise self.retry(exc=exc, countdown=delay, max_retries=settings.SCAN_MAX_RETRIES) from exc


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_quarantine(document_id: int) -> int:
    document = Document.objects.select_related("uploaded_by", "dossier__collectivity",
                                               "dossier__campaign").get(pk=document_id)  # fmt: skip
    return send_quarantine_notice(document)


@shared_task(autoretry_for=(StoreUnavailable,), retry_backoff=True, max_retries=8)
def store_certificate(award_id: int) -> str:
    """Draw and store an award's PDF certificate, once it is committed."""
    award = Award.objects.get(pk=award_id)
    return certificates.certificate_store(award).certificate_key


@shared_task(autoretry_for=(StoreUnavailable,), retry_backoff=True, max_retries=8)
def store_report_pdf(issued_id: int) -> str:
    """Draw and store an issued audit report's PDF, once it is committed."""
    return reports.report_store(IssuedReport.objects.get(pk=issued_id)).pdf_key


@shared_task
def remove_orphan_objects() -> int:
    """Periodic (`CELERY_BEAT_SCHEDULE`): remove the stored objects no document refers to,
    once older than ORPHAN_GRACE_HOURS."""
    return integrity.remove_orphans()
