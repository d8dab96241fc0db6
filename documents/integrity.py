"""What the object store holds, against what the documents record: `verify_evidence` reads
every file back and compares its SHA-256 (`manage.py verify_evidence`); `remove_orphans`
removes the objects no document refers to (`documents.tasks.remove_orphan_objects`)."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from . import storage
from .models import Document
from .services import EVIDENCE_PREFIX


@dataclass
class EvidenceCheck:
    files: int = 0  # documents checked, found or not
    bytes: int = 0  # bytes read back from the store
    missing: list[Document] = field(default_factory=list)
    altered: list[Document] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not (self.missing or self.altered)


def verify_evidence(*, dossier_id: int | None = None) -> EvidenceCheck:
    """Read back the object of every document, current or not (of one dossier when given),
    chunk by chunk, and name those the store lost or whose bytes no longer match the
    recorded SHA-256. Raises StoreUnavailable when the store cannot be read."""
    documents = Document.objects.only("pk", "dossier_id", "filename", "key", "sha256")
    if dossier_id is not None:
        documents = documents.filter(dossier_id=dossier_id)
    check = EvidenceCheck()
    for document in documents.order_by("pk").iterator(chunk_size=500):
        check.files += 1
        digest = hashlib.sha256()
        try:
            for chunk in storage.chunks(document.key):
                digest.update(chunk)
                check.bytes += len(chunk)
        except FileNotFoundError:
            check.missing.append(document)
            continue
        if digest.hexdigest() != document.sha256:
            check.altered.append(document)
    return check


def remove_orphans(*, now: datetime | None = None, grace: timedelta | None = None) -> int:
    """Remove the objects under the evidence prefix that no document refers to and that are
    older than `grace` (ORPHAN_GRACE_HOURS): what an upload left when it died before its row
    was recorded, or after it was rolled back. A younger object may be an upload in progress
    or a row not yet committed: it stays. The listing is read a page at a time, each page's
    keys looked up with one query. Return how many objects were removed."""
    if grace is None:
        grace = timedelta(hours=settings.ORPHAN_GRACE_HOURS)
    cutoff = (now or timezone.now()) - grace
    removed = 0
    for page in storage.listing(EVIDENCE_PREFIX):
        old = [found.key for found in page if found.modified < cutoff]
        if not old:
            continue
        referenced = set(Document.objects.filter(key__in=old).values_list("key", flat=True))
        for key in old:
            if key not in referenced:
                storage.delete(key)
                removed += 1
    return removed
