from django.db import transaction
from django.utils.translation import gettext as _

from certification import policy
from certification.errors import Conflict, DomainError, InvalidInput
from certification.models import Criterion, Dossier

from . import storage
from .models import Document
from .receiving import EvidenceReceiver, ReceivedFile


def document_receiver(*, dossier: Dossier, by) -> EvidenceReceiver:
    """The upload handler of a request adding evidence to `dossier`: it checks, hashes and
    stores the file as its bytes arrive (`documents.receiving`). When `by` may not add
    evidence there now, it reads the file and stores nothing; `document_upload` says why.
    Use it as a context manager around the whole request: it removes the stored object
    unless `document_upload` recorded it."""
    try:
        policy.may_upload(by, dossier).enforce()
    except DomainError as refusal:
        return EvidenceReceiver(prefix=_key_prefix(dossier), refusal=refusal)
    return EvidenceReceiver(prefix=_key_prefix(dossier))


@transaction.atomic
def document_upload(*, dossier: Dossier, criterion_code: str, upload, by) -> Document:
    """Record one evidence file for one criterion: `upload` is what a request's
    `document_receiver` received (stored already), or a file in hand, taken here through
    the same receiver."""
    policy.may_upload(by, dossier).enforce()
    criterion = dossier.referential.criteria.filter(code=criterion_code).first()
    if criterion is None:
        raise InvalidInput(_("Unknown criterion “%s” for this dossier.") % criterion_code)
    if isinstance(upload, ReceivedFile):
        return _record(dossier, criterion, upload, by)
    with EvidenceReceiver(prefix=_key_prefix(dossier)) as receiver:
        return _record(dossier, criterion, receiver.receive(upload), by)


def _key_prefix(dossier: Dossier) -> str:
    return f"dossiers/{dossier.pk}"


def _record(dossier: Dossier, criterion: Criterion, received: ReceivedFile, by) -> Document:
    """The row, from what the receiver measured: the bytes are not read again."""
    if received.refusal is not None:
        raise received.refusal
    document = Document.objects.create(
        dossier=dossier, criterion=criterion, filename=received.name, size=received.size,
        sha256=received.sha256, content_type=received.content_type, key=received.key,
        scan_status=Document.ScanStatus.CLEAN, uploaded_by=by,
    )  # fmt: skip
    received.recorded = True  # the receiver keeps the object now
    return document


def document_download_url(*, document: Document) -> str:
    if document.scan_status != Document.ScanStatus.CLEAN:
        raise Conflict(_("This file has not been cleared by the scan."))
    return storage.download_url(document.key, document.filename)
