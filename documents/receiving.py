"""Receiving one evidence file in one pass: as its bytes arrive, it is sized, sniffed, hashed
and sent to the store, with no temporary file and no second reading. The virus scan comes
after, in a worker (`documents.scanning`, run by `documents.tasks.scan_document`).

`EvidenceReceiver` is a Django upload handler: a view puts it in `request.upload_handlers`
before the form is read, and the request's `file` field becomes a `ReceivedFile`, the
measure of what was received and stored. `documents.services.document_upload` then records it
(or takes a file in hand through the same steps)."""

import hashlib
import logging
import re
import uuid

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.errors import (
    DomainError,
    FileTooLarge,
    InvalidInput,
    StoreUnavailable,
    UnsupportedFileType,
)

from . import storage

logger = logging.getLogger(__name__)

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
# A file's name must not contradict its content (a PDF named `.html` is refused): the
# extensions each accepted type may carry. A name without an extension is taken as it is.
EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/png": {"png"},
    "image/jpeg": {"jpg", "jpeg"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {"pptx"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
    "text/csv": {"csv"},
    "text/plain": {"txt", "text"},
}
TEXT_TYPES = {"text/csv", "text/plain"}
# Text is what `filetype` does not recognise and holds no control character but tabs, line
# breaks and form feeds, in every chunk: it then decodes as UTF-8 or Latin-1.
NOT_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
SNIFF_BYTES = 8192  # what `filetype` looks at


ACCEPTED = gettext_lazy(
    "Accepted files: PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument, CSV and plain text."
)


def safe_name(filename: str) -> str:
    name = re.sub(r"[^\w.\- ]", "_", filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip()
    return name[:200] or "document"


class ReceivedFile(UploadedFile):
    """A file as it was received: its size, SHA-256 and sniffed type, and where the store
    holds its bytes (`key`; None when nothing was kept). `refusal` says why it may not be
    recorded. The bytes are not here."""

    def __init__(self, *, name, size, sha256, content_type, key, refusal):
        super().__init__(file=None, name=name, content_type=content_type, size=size)
        self.sha256 = sha256
        self.key = key
        self.refusal: DomainError | None = refusal
        self.recorded = False  # a Document names the object: it stays

    def close(self) -> None:
        pass  # Django closes each uploaded file after the response: there is none to close


class EvidenceReceiver(FileUploadHandler):
    """Receives the request's `file` field (the first one; other files are read and dropped)
    and stores it under `<prefix>/<random>/<name>` as it arrives. It stops storing, and
    counts the bytes only, as soon as the file is refused: over `EVIDENCE_MAX_BYTES`, a type
    not accepted, the store failing, or `refusal` given upfront (the
    user may not add evidence: nothing is stored, and the service says why).

    As a context manager, it leaves nothing in the store that no Document names, whatever
    happens in between (a refused form, a failed insert, a broken request)."""

    FIELD = "file"
    # chunk_size stays Django's 64 KB: larger chunks measured slower (the parser copies each
    # chunk twice, and large blocks come from the system as fresh pages).

    def __init__(self, *, prefix: str, refusal: DomainError | None = None):
        super().__init__()
        self.prefix = prefix
        self.refusal = refusal
        self.received: ReceivedFile | None = None
        self._receiving = False
        self._writer: storage.ObjectWriter | None = None

    def __enter__(self) -> "EvidenceReceiver":
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()

    def discard(self) -> None:
        """Remove what was stored, unless a Document names it."""
        self._stop()
        if self.received is not None and self.received.key and not self.received.recorded:
            try:
                storage.delete(self.received.key)
            except StoreUnavailable:
                logger.error("Evidence object %s could not be removed", self.received.key)
            self.received.key = None

    def receive(self, upload) -> ReceivedFile:
        """Take a file in hand (not from a request) through the same steps."""
        self.new_file(self.FIELD, upload.name, upload.content_type, upload.size)
        for chunk in upload.chunks(self.chunk_size):
            self.receive_data_chunk(chunk, None)
        return self.file_complete(None)

    # -- Django's upload handler interface --------------------------------------------------

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self._receiving = field_name == self.FIELD and self.received is None
        if self._receiving:
            self._name = safe_name(file_name)
            self._limit = settings.EVIDENCE_MAX_BYTES
            self._size = 0
            self._sha256 = hashlib.sha256()
            self._head = bytearray()  # the first bytes, until the type is known
            self._type: str | None = None
            self._contradiction = False  # the name's extension says another type
            self._store_error: StoreUnavailable | None = None
            self._stopped = self.refusal is not None

    def receive_data_chunk(self, raw_data: bytes, start) -> None:
        if self._receiving:
            self._take(raw_data)
        return None  # taken or dropped here: no other handler sees it

    def file_complete(self, file_size) -> ReceivedFile | None:
        if not self._receiving:
            return None
        self._receiving = False
        key = None
        if not self._stopped and self._head is not None:  # under SNIFF_BYTES: sniffed now
            self._sniff()
        if not self._stopped and self._writer is not None:
            try:
                self._writer.close()
                key = self._writer.key
            except StoreUnavailable as exc:
                self._store_error = exc
            self._writer = None
        self.received = ReceivedFile(
            name=self._name, size=self._size, sha256=self._sha256.hexdigest(),
            content_type=self._type, key=key, refusal=self._refusal(),
        )  # fmt: skip
        return self.received

    def upload_interrupted(self) -> None:
        self._stop()  # the body ended inside the file

    # -- One chunk ---------------------------------------------------------------------------

    def _take(self, data: bytes) -> None:
        self._size += len(data)
        if self._stopped:
            return
        if self._size > self._limit:
            return self._stop()
        self._sha256.update(data)
        if self._type in TEXT_TYPES and NOT_TEXT.search(data):
            self._type = None  # binary after all: refused
            return self._stop()
        if self._head is not None:
            self._head += data
            if len(self._head) >= SNIFF_BYTES:
                self._sniff()
        else:
            self._write(data)

    def _sniff(self) -> None:
        """Know the type from the first bytes, then start storing (unless refused)."""
        head, self._head = bytes(self._head), None
        kind = filetype.guess(head[:SNIFF_BYTES])
        if kind is not None and kind.mime in ACCEPTED_TYPES:
            self._type = kind.mime
        elif kind is None and head and not NOT_TEXT.search(head):
            self._type = "text/csv" if self._extension() == "csv" else "text/plain"
        else:
            return self._stop()
        if self._extension() not in EXTENSIONS[self._type] | {""}:
            self._contradiction = True
            return self._stop()
        if head:
            # A generated key: the user's file name is kept for display only.
            key = f"{self.prefix}/{uuid.uuid4().hex}"
            self._writer = storage.ObjectWriter(key, self._type)
            self._write(head)

    def _extension(self) -> str:
        stem, dot, extension = self._name.rpartition(".")
        return extension.lower() if dot and stem else ""

    def _write(self, data: bytes) -> None:
        try:
            self._writer.write(data)
        except StoreUnavailable as exc:
            self._store_error = exc
            self._stop()

    def _stop(self) -> None:
        self._stopped = True
        if self._writer is not None:
            try:
                self._writer.abort()
            except StoreUnavailable as exc:
                logger.error("Evidence upload %s not cleaned up: %s", self._writer.key, exc)
            self._writer = None

    def _refusal(self) -> DomainError | None:
        """Why the file may not be recorded, in the order the checks were always made."""
        if self.refusal is not None:
            return self.refusal
        if self._size > self._limit:
            limit = filesizeformat(self._limit)
            return FileTooLarge(_("The file is larger than %s.") % limit)
        if self._size == 0:
            return InvalidInput(_("The file is empty."))
        if self._contradiction:
            return UnsupportedFileType(
                _("The file's name (.%(extension)s) does not match its content (%(type)s).")
                % {"extension": self._extension(), "type": self._type}
            )
        if self._type is None:
            return UnsupportedFileType(ACCEPTED)
        return self._store_error
