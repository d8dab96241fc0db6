"""The object store, behind a handful of functions. Nothing else imports `minio`."""

import functools
from datetime import timedelta
from typing import BinaryIO
from urllib.parse import quote

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from minio import Minio
from minio.error import MinioException

from certification.errors import StoreUnavailable


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
            timeout=urllib3.Timeout(connect=3, read=30),
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[502, 503, 504]),
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
    """A short-lived signed URL that downloads the object under its original name."""
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
