import tempfile

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certification import policy
from certification.errors import Conflict, InvalidInput
from certification.models import Criterion, Dossier

from . import certificates, reports, scanning, storage
from .models import Document
from .receiving import EvidenceReceiver, ReceivedFile


def document_receiver(*, dossier: Dossier, by) -> EvidenceReceiver:
    """The upload handler of a request adding evidence to `dossier`: it checks, hashes and
    stores the file as its bytes arrive (`documents.receiving`). When `by` may not add
    evidence there now, it reads the file and stores nothing; `document_upload` says why.
    Use it as a context manager around the whole request: it removes the stored object
    unless `document_upload` recorded it."""
    refusal = policy.may_upload(by, dossier).refusal()
    return EvidenceReceiver(prefix=_key_prefix(dossier), refusal=refusal)


def document_upload(*, dossier: Dossier, criterion_code: str, upload, by) -> Document:
    """Record one evidence file for one criterion: `upload` is what a request's
    `document_receiver` received (stored already), or a file in hand, taken here through
    the same receiver. No transaction is open while bytes travel: only the row is written
    in one. The file is the criterion's next version and supersedes the current one."""
    policy.may_upload(by, dossier).enforce()
    criterion = dossier.referential.criteria.filter(code=criterion_code).first()
    if criterion is None:
        raise InvalidInput(_("Unknown criterion “%s” for this dossier.") % criterion_code)
    policy.may_upload(by, dossier, criterion).enforce()
    if isinstance(upload, ReceivedFile):
        return _record(dossier, criterion, upload, by)
    with EvidenceReceiver(prefix=_key_prefix(dossier)) as receiver:
        return _record(dossier, criterion, receiver.receive(upload), by)


EVIDENCE_PREFIX = "dossiers/"  # every evidence object's key starts so (documents.integrity)


def _key_prefix(dossier: Dossier) -> str:
    return f"{EVIDENCE_PREFIX}{dossier.pk}"


def _record(dossier: Dossier, criterion: Criterion, received: ReceivedFile, by) -> Document:
    """The row, from what the receiver measured: the bytes are not read again. It waits
    for its scan (`pending`), which a worker runs once the row is committed; with no
    scanner configured it is `not_scanned`, and never counts as clean.

    Two uploads to one criterion at once would take the same version number: the loser
    of the unique constraint takes the next one."""
    if received.refusal is not None:
        raise received.refusal
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _record_version(dossier, criterion, received, by)
        except IntegrityError:
            if attempt == 2:
                raise


def _record_version(dossier, criterion, received, by) -> Document:
    from .tasks import scan_document  # the tasks call these services

    # The dossier's files with these bytes, the earliest first (an index on dossier, sha256).
    same = list(
        Document.objects.filter(dossier=dossier, sha256=received.sha256)
        .select_related("criterion")
        .order_by("uploaded_at", "id")
    )
    for document in same:
        if document.criterion_id == criterion.pk and document.is_current:
            raise Conflict(
                _("This file is already version %(version)s of %(criterion)s, uploaded on "
                  "%(date)s: nothing was added.")
                % {"version": document.version, "criterion": criterion.code,
                   "date": date_format(timezone.localtime(document.uploaded_at),
                                       "SHORT_DATETIME_FORMAT")},
            )  # fmt: skip
    latest = (
        Document.objects.filter(dossier=dossier, criterion=criterion)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    # The current version steps aside first: a concurrent upload waits on that row.
    Document.objects.filter(dossier=dossier, criterion=criterion, is_current=True).update(
        is_current=False
    )
    scanned = bool(settings.CLAMD_ADDRESS)
    document = Document.objects.create(
        dossier=dossier, criterion=criterion, filename=received.name, size=received.size,
        sha256=received.sha256, content_type=received.content_type, key=received.key,
        version=(latest or 0) + 1, duplicate_of=same[0] if same else None,
        scan_status=Document.ScanStatus.PENDING if scanned else Document.ScanStatus.NOT_SCANNED,
        uploaded_by=by,
    )  # fmt: skip
    received.recorded = True  # the receiver keeps the object now
    if scanned:
        scan_document.delay_on_commit(document.pk)
    return document


def document_download_url(*, document: Document) -> str:
    if document.scan_status != Document.ScanStatus.CLEAN:
        raise Conflict(_("This file has not been cleared by the scan."))
    return storage.download_url(document.key, document.filename)


def certificate_download_url(*, award) -> str:
    """The award's PDF certificate, drawn now if the worker has not drawn it yet."""
    award = certificates.certificate_store(award)
    return storage.download_url(award.certificate_key, f"{award.certificate_number}.pdf")


def report_download_url(*, issued) -> str:
    """An issued audit report's PDF, drawn now if the worker has not drawn it yet."""
    issued = reports.report_store(issued)
    name = f"rapport-audit-{issued.dossier_id}-v{issued.version}.pdf"
    return storage.download_url(issued.pdf_key, name)


# -- Scanning (run by `documents.tasks.scan_document`) ---------------------------------------

SPOOL_BYTES = 8 * 1024 * 1024  # a larger file is read back into a temporary file


def document_scan(*, document: Document) -> Document:
    """Scan a pending file: it becomes `clean` or `infected` (quarantined, its uploader told).
    Raises `ScannerUnavailable` or `StoreUnavailable` when the scan cannot run: the caller
    retries. A file no longer pending is left as it is (a task delivered twice)."""
    if document.scan_status != Document.ScanStatus.PENDING:
        return document
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as file:
        storage.copy_to(document.key, file)
        verdict = scanning.scan(file, document.content_type)
    status = Document.ScanStatus.INFECTED if verdict.infected else Document.ScanStatus.CLEAN
    return _conclude(document, status, verdict.signature)


def document_scan_postponed(*, document: Document, reason: str) -> Document:
    """The scan could not run and will be tried again: the file stays `pending`, and the
    page says why."""
    return _conclude(document, Document.ScanStatus.PENDING, reason)


def document_scan_failed(*, document: Document, reason: str) -> Document:
    """Every attempt failed: `error`, shown as such until someone scans it again."""
    return _conclude(document, Document.ScanStatus.ERROR, reason)


def document_rescan(*, document: Document) -> Document:
    """Scan again a file whose scan failed or that arrived while no scanner was set."""
    from .tasks import scan_document

    if document.scan_status not in (Document.ScanStatus.ERROR, Document.ScanStatus.NOT_SCANNED):
        raise Conflict(_("Only a file whose scan failed or did not run can be scanned again."))
    if not settings.CLAMD_ADDRESS:
        raise Conflict(_("No scanner is configured."))
    with transaction.atomic():
        document.scan_status, document.scan_detail = Document.ScanStatus.PENDING, ""
        document.save(update_fields=["scan_status", "scan_detail"])
        scan_document.delay_on_commit(document.pk)
    return document


@transaction.atomic
def _conclude(document: Document, status: str, detail: str) -> Document:
    from .tasks import notify_quarantine

    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.scan_status != Document.ScanStatus.PENDING:
        return locked  # concluded meanwhile
    locked.scan_status, locked.scan_detail = status, detail[:200]
    locked.scan_attempts += 1
    locked.scanned_at = timezone.now()
    locked.save(update_fields=["scan_status", "scan_detail", "scan_attempts", "scanned_at"])
    if status == Document.ScanStatus.INFECTED:
        notify_quarantine.delay_on_commit(locked.pk)
    return locked
