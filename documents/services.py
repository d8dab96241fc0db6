import hashlib
import re
import uuid

import filetype
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from certification import policy
from certification.errors import (
    Conflict,
    FileTooLarge,
    InvalidInput,
    UnsupportedFileType,
)
from certification.models import Dossier

from . import storage
from .models import Document

# Sniffed from the bytes, never taken from the client's word.
ACCEPTED_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
# The industry's standard test signature: lets the scanning path be exercised end to end.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CHUNK = 1024 * 1024


def _safe_name(filename: str) -> str:
    name = re.sub(r"[^\w.\- ]", "_", filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip()
    return name[:200] or "document"


@transaction.atomic
def document_upload(*, dossier: Dossier, criterion_code: str, upload, by) -> Document:
    """Validate, fingerprint and store one evidence file for one criterion."""
    policy.may_upload(by, dossier).enforce()
    criterion = dossier.referential.criteria.filter(code=criterion_code).first()
    if criterion is None:
        raise InvalidInput(_("Unknown criterion “%s” for this dossier.") % criterion_code)
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise FileTooLarge(
            _("The file is larger than %s.") % filesizeformat(settings.EVIDENCE_MAX_BYTES)
        )
    if upload.size == 0:
        raise InvalidInput(_("The file is empty."))
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        raise UnsupportedFileType(
            _("Accepted files: PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument.")
        )
    digest = hashlib.sha256()
    tail = b""
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        digest.update(chunk)
        if EICAR in tail + chunk:
            raise InvalidInput(_("The file carries a virus signature and was refused."))
        tail = chunk[-len(EICAR) :]
    filename = _safe_name(upload.name)
    key = f"dossiers/{dossier.pk}/{uuid.uuid4().hex}/{filename}"
    upload.seek(0)
    storage.put(key, upload, upload.size, kind.mime)
    try:
        return Document.objects.create(
            dossier=dossier, criterion=criterion, filename=filename, size=upload.size,
            sha256=digest.hexdigest(), content_type=kind.mime, key=key,
            scan_status=Document.ScanStatus.CLEAN, uploaded_by=by,
        )  # fmt: skip
    except Exception:
        storage.delete(key)  # leave no object that no row points to
        raise


def document_download_url(*, document: Document) -> str:
    if document.scan_status != Document.ScanStatus.CLEAN:
        raise Conflict(_("This file has not been cleared by the scan."))
    return storage.download_url(document.key, document.filename)
