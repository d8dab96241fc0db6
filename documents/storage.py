"""The object store, behind a handful of functions. Nothing else imports `minio`."""

import functools
import io
import itertools
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO
from urllib.parse import quote

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from minio import Minio
from minio.datatypes import Part
from minio.error import MinioException, S3Error

from certification.errors import StoreUnavailable

RETRIED_STATUSES = [500, 502, 503, 504]


@functools.cache
def client() -> Minio:
    endpoint = settings.S3_ENDPOINT
    return Minio(
        endpoint.netloc,
        access_key=settings.S3_ACCESS_KEY,
        secret_key=settings.S3_SECRET_KEY,
        secure=endpoint.scheme == "https",
        region=settings.S3_REGION,
        # Fail fast: a request must not hang a web worker when the store is down.
        http_client=urllib3.PoolManager(
            maxsize=10,  # connections kept per host: an upload sends parts in parallel
            timeout=urllib3.Timeout(connect=3, read=30),
            # S3 asks clients to retry a 500 InternalError as well as 502-504 (the embedded
            # server answers one when two uploads create a dossier's folder at once).
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=RETRIED_STATUSES),
        ),
    )


def _unavailable(exc: Exception) -> StoreUnavailable:
    return StoreUnavailable(
        _("The evidence store is unavailable (%s): try again in a moment.") % type(exc).__name__
    )


def ensure_bucket() -> None:
    try:
        if not client().bucket_exists(settings.S3_BUCKET):
            client().make_bucket(settings.S3_BUCKET)
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise _unavailable(exc) from exc


def put(key: str, data: BinaryIO, size: int, content_type: str) -> None:
    try:
        client().put_object(settings.S3_BUCKET, key, data, size, content_type=content_type)
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise _unavailable(exc) from exc


# S3's smallest part: the little memory an upload holds (10,000 parts still allow 50 GB).
PART_SIZE = 5 * 1024 * 1024
PARALLEL_PARTS = 2  # parts going up while the next one is gathered
_STORE_ERRORS = (MinioException, urllib3.exceptions.HTTPError)


class ObjectWriter:
    """One object sent to the store while its bytes are still arriving: `write` them as they
    come, then `close` (the object exists once it returns) or `abort` (nothing is left).

    The bytes are gathered into parts of PART_SIZE; each full part goes up, as a part of a
    multipart upload, in a small pool of threads while the next one is gathered, at most
    PARALLEL_PARTS at a time: a writer faster than the store waits rather than holding the
    file in memory. An object that fits in one part goes up in a single PUT on `close`.

    The SDK has no public call for an upload driven part by part (its `put_object` reads a
    stream in threads of its own, copying each part twice more, and leaves those threads
    waiting forever when the stream fails): this uses its internal calls, the same through
    minio 7 (pinned `<8`), which the tests run."""

    def __init__(self, key: str, content_type: str):
        self.key = key
        self.content_type = content_type
        self._chunks: list[bytes] = []
        self._gathered = 0
        self._upload_id: str | None = None
        self._parts: list[Future] = []
        self._pool: ThreadPoolExecutor | None = None
        self._room = threading.Semaphore(PARALLEL_PARTS)

    def write(self, data: bytes) -> None:
        self._chunks.append(data)
        self._gathered += len(data)
        if self._gathered >= PART_SIZE:
            self._send_part()

    def close(self) -> None:
        """Return once the store holds the whole object; StoreUnavailable if it could not."""
        try:
            if self._upload_id is None:  # it fits in one part
                data = b"".join(self._chunks)
                return put(self.key, io.BytesIO(data), len(data), self.content_type)
            if self._chunks:
                self._send_part()
            parts = [Part(n, part.result()) for n, part in enumerate(self._parts, 1)]
            client()._complete_multipart_upload(settings.S3_BUCKET, self.key, self._upload_id,
                                                parts)  # fmt: skip
            self._upload_id = None
        except _STORE_ERRORS as exc:
            self._abort_quietly()
            raise _unavailable(exc) from exc
        finally:
            self._chunks = []
            self._stop_pool()

    def abort(self) -> None:
        """Stop sending (the parts on their way finish first), and leave no part behind."""
        self._chunks = []
        self._stop_pool()
        if self._upload_id is not None:
            upload_id, self._upload_id = self._upload_id, None
            try:
                client()._abort_multipart_upload(settings.S3_BUCKET, self.key, upload_id)
            except _STORE_ERRORS as exc:
                raise _unavailable(exc) from exc

    def _send_part(self) -> None:
        data, self._chunks, self._gathered = b"".join(self._chunks), [], 0
        try:
            if self._upload_id is None:
                self._upload_id = client()._create_multipart_upload(
                    settings.S3_BUCKET, self.key, {"Content-Type": self.content_type}
                )
                self._pool = ThreadPoolExecutor(PARALLEL_PARTS, f"put {self.key}")
            for part in self._parts:
                if part.done() and part.exception() is not None:
                    raise part.exception()  # a part failed: the upload cannot complete
        except _STORE_ERRORS as exc:
            self._abort_quietly()
            raise _unavailable(exc) from exc
        self._room.acquire()  # waits while PARALLEL_PARTS parts are on their way
        part = self._pool.submit(
            client()._upload_part, settings.S3_BUCKET, self.key, data, None, self._upload_id,
            len(self._parts) + 1,
        )  # fmt: skip
        part.add_done_callback(lambda _: self._room.release())
        self._parts.append(part)

    def _stop_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _abort_quietly(self) -> None:
        try:
            self.abort()
        except StoreUnavailable:
            pass  # the store is down: it keeps the parts until its own expiry, if it has one


def delete(key: str) -> None:
    try:
        client().remove_object(settings.S3_BUCKET, key)
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise _unavailable(exc) from exc


def read(key: str) -> bytes:
    try:
        response = client().get_object(settings.S3_BUCKET, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise _unavailable(exc) from exc


def download_url(key: str, filename: str) -> str:
    """A short-lived signed URL that downloads the object under its original name, as an
    attachment. The store is asked first whether it holds the object: when it is down, the
    user hears so (503) rather than following a link to a dead store."""
    try:
        client().stat_object(settings.S3_BUCKET, key)
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise _unavailable(exc) from exc
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return client().presigned_get_object(
        settings.S3_BUCKET, key,
        expires=timedelta(seconds=settings.S3_URL_EXPIRY_SECONDS),
        response_headers={"response-content-disposition": disposition},
    )  # fmt: skip


def is_up() -> bool:
    try:
        client().bucket_exists(settings.S3_BUCKET)
    except (MinioException, urllib3.exceptions.HTTPError):
        return False
    return True


# -- Write-once objects (the transition log's checkpoints) ------------------------------------


def put_once(key: str, data: BinaryIO, size: int, content_type: str) -> None:
    """Store a new object, never replacing one (FileExistsError). The embedded server
    (`rclone serve s3`) has no object lock and ignores conditional writes: write-once rests
    on this check and on keys that are never reused."""
    try:
        client().stat_object(settings.S3_BUCKET, key)
    except S3Error as exc:
        if exc.code != "NoSuchKey":
            raise _unavailable(exc) from exc
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise _unavailable(exc) from exc
    else:
        raise FileExistsError(key)
    put(key, data, size, content_type)


def keys(prefix: str) -> Iterator[str]:
    """The keys under `prefix`, in the store's (lexicographic) order, listed page by page."""
    try:
        for found in client().list_objects(settings.S3_BUCKET, prefix=prefix, recursive=True):
            yield found.object_name
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise _unavailable(exc) from exc


def copy_to(key: str, file: BinaryIO) -> None:
    """Write an object into `file` chunk by chunk: it need not fit in memory."""
    try:
        response = client().get_object(settings.S3_BUCKET, key)
        try:
            for chunk in response.stream(64 * 1024):
                file.write(chunk)
        finally:
            response.close()
            response.release_conn()
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise _unavailable(exc) from exc


# -- Checking what the store holds (documents.integrity) --------------------------------------


def chunks(key: str, size: int = 64 * 1024) -> Iterator[bytes]:
    """An object's bytes, chunk by chunk: it need not fit in memory. FileNotFoundError when
    the store holds no such object."""
    try:
        response = client().get_object(settings.S3_BUCKET, key)
    except _STORE_ERRORS as exc:
        if _absent(key):  # some servers answer a GET of no object with a non-S3 error
            raise FileNotFoundError(key) from exc
        raise _unavailable(exc) from exc
    try:
        yield from response.stream(size)
    except _STORE_ERRORS as exc:
        raise _unavailable(exc) from exc
    finally:
        response.close()
        response.release_conn()


def _absent(key: str) -> bool:
    """The store answers that it holds no object under `key` (not: it cannot answer)."""
    try:
        client().stat_object(settings.S3_BUCKET, key)
    except S3Error as exc:
        return exc.code == "NoSuchKey"
    except _STORE_ERRORS:
        return False
    return False


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: datetime  # aware, as the store reports it


def listing(prefix: str, page_size: int = 1000) -> Iterator[list[StoredObject]]:
    """The objects under `prefix` with their size and last-modified time, in the store's
    (lexicographic) order, a page of at most `page_size` at a time."""
    try:
        found = client().list_objects(settings.S3_BUCKET, prefix=prefix, recursive=True)
        while page := [
            StoredObject(o.object_name, o.size, o.last_modified)
            for o in itertools.islice(found, page_size)
        ]:
            yield page
    except _STORE_ERRORS as exc:
        raise _unavailable(exc) from exc
