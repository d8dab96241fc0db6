"""Scanning one evidence file: ClamAV, and the checks ClamAV does not make.

`scan(file, content_type)` sends the bytes to clamd (INSTREAM, through the `clamav-client`
library) and, whatever clamd says, looks inside the file's structure:

- ZIP-based files (Word, Excel, PowerPoint, OpenDocument): clamd trims an oversized member to
  its `MaxFileSize` and scans the rest, so a 300 KB zip inflating to 300 MB passes it (checked
  with ClamAV 1.4.6, `AlertExceedsMax` on). Here each member is inflated and counted, never
  kept, against MAX_UNPACKED_BYTES, MAX_RATIO and MAX_MEMBERS; encrypted members and macros
  (`vbaProject.bin`, OpenDocument `Basic/` and `Scripts/`) are flagged too.
- PDFs: clamd passes a PDF whose `/OpenAction` runs JavaScript. Here every object reachable
  from the trailer is read (with pypdf) and a JavaScript or launch action, wherever it hangs
  (`/OpenAction`, `/AA`, a link, the document's `/Names`), is flagged.

A finding is a `Verdict` naming a signature: clamd's (`Eicar-Test-Signature`) or one of ours
(`labelflow.*`). `ScannerUnavailable` means the scan could not run: try again later."""

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from clamav_client import clamd
from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# The same bounds as the clamd we start (labelflow.embedded.CLAMD_LIMITS).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_RATIO = 100  # uncompressed / compressed, over the whole archive...
RATIO_FLOOR = 10 * 1024 * 1024  # ...once it inflates past this (small files compress well)
MAX_PDF_OBJECTS = 200_000
ZIP_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
PDF_ACTIONS = {"/JavaScript": "labelflow.PDF.JavaScript", "/Launch": "labelflow.PDF.Launch"}


class ScannerUnavailable(Exception):
    """clamd could not be reached or did not answer: the file is neither clean nor infected."""


@dataclass(frozen=True)
class Verdict:
    signature: str = ""  # empty: nothing found

    @property
    def infected(self) -> bool:
        return bool(self.signature)


def scan(file: BinaryIO, content_type: str) -> Verdict:
    """Scan a seekable file: clamd first, then its structure."""
    file.seek(0)
    verdict = clamav(file)
    if not verdict.infected:
        file.seek(0)
        if content_type in ZIP_TYPES:
            verdict = inspect_zip(file)
        elif content_type == "application/pdf":
            verdict = inspect_pdf(file)
    return verdict


# -- ClamAV -----------------------------------------------------------------------------------


def _client():
    address = settings.CLAMD_ADDRESS
    timeout = settings.CLAMD_TIMEOUT_SECONDS
    if address.startswith("/"):
        return clamd.ClamdUnixSocket(address, timeout=timeout)
    host, _, port = address.rpartition(":")
    return clamd.ClamdNetworkSocket(host, int(port), timeout=timeout)


def clamav(file: BinaryIO) -> Verdict:
    """clamd's answer on the bytes of `file` (`stream: OK`, `stream: <signature> FOUND`)."""
    try:
        result = _client().instream(file)
    except (clamd.ClamdError, OSError) as exc:
        raise ScannerUnavailable(f"clamd: {exc}") from exc
    status, signature = result.get("stream", ("ERROR", "no answer"))
    if status == "FOUND":
        return Verdict(signature)
    if status != "OK":  # e.g. a limit clamd refuses to scan past: not clean
        raise ScannerUnavailable(f"clamd: {signature} {status}")
    return Verdict()


def is_up() -> bool:
    try:
        return _client().ping() == "PONG"
    except (clamd.ClamdError, OSError, ValueError):
        return False


# -- ZIP-based files --------------------------------------------------------------------------


def inspect_zip(file: BinaryIO) -> Verdict:
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return Verdict("labelflow.Zip.TooManyMembers")
            for member in members:
                if member.flag_bits & 0x1:
                    return Verdict("labelflow.Zip.Encrypted")
                if _is_macro(member.filename):
                    return Verdict("labelflow.Office.Macro")
            return _inflate(archive, members, _size(file))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        return Verdict("labelflow.Zip.Unreadable")


def _is_macro(name: str) -> bool:
    name = name.lower()
    return name.endswith("vbaproject.bin") or name.startswith(("basic/", "scripts/"))


def _inflate(archive: zipfile.ZipFile, members: list, compressed: int) -> Verdict:
    """Inflate every member, counting its bytes rather than trusting its declared size:
    stop at the first bound passed."""

    def too_much(size: int) -> bool:
        return size > MAX_UNPACKED_BYTES or (size > RATIO_FLOOR and size > MAX_RATIO * compressed)

    if too_much(sum(member.file_size for member in members)):
        return Verdict("labelflow.Zip.Bomb")
    total = 0
    for member in members:
        with archive.open(member) as stream:
            while chunk := stream.read(1024 * 1024):
                total += len(chunk)
                if too_much(total):
                    return Verdict("labelflow.Zip.Bomb")
    return Verdict()


def _size(file: BinaryIO) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


# -- PDFs -------------------------------------------------------------------------------------


def inspect_pdf(file: BinaryIO) -> Verdict:
    """Walk every object reachable from the trailer, looking for an action that runs code."""
    try:
        reader = PdfReader(file, strict=False)
        return _walk(reader.trailer)
    except (PdfReadError, ValueError, TypeError, KeyError, RecursionError, OSError):
        return Verdict("labelflow.PDF.Unreadable")


def _walk(root) -> Verdict:
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                return Verdict("labelflow.PDF.TooComplex")
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            if "/JS" in node or "/JavaScript" in node:  # an action, or the /Names tree
                return Verdict(PDF_ACTIONS["/JavaScript"])
            if node.get("/S") in PDF_ACTIONS:
                return Verdict(PDF_ACTIONS[node["/S"]])
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return Verdict()
