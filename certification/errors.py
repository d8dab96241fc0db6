"""Domain errors. Services raise them; `certification.api.common.exception_handler` (the API)
and `certification.views.common` (the pages) turn them into an HTTP status and a sentence the
user can act on. A guard's refusal also carries `missing`: what to fix, one entry each."""

from django.db import OperationalError
from django.utils.translation import gettext_lazy


class DomainError(Exception):
    status = 400

    def __init__(self, detail: str, **extra):
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInput(DomainError):
    status = 400


class NotAllowed(DomainError):
    """The user can see the object but may not do this."""

    status = 403


class NotVisible(DomainError):
    status = 404


class Conflict(DomainError):
    """Not possible from the current state, or a guard is not met."""

    status = 409


class FileTooLarge(DomainError):
    status = 413


class UnsupportedFileType(DomainError):
    status = 415


class StoreUnavailable(DomainError):
    status = 503


RETRY_AFTER = 2  # seconds: what a 503 for a busy database asks the client to wait
BUSY = gettext_lazy("The service is busy: try again in a moment.")


def database_busy(exc: Exception) -> bool:
    """The embedded SQLite database still locked after its busy timeout: answered 503 with
    `Retry-After`, not 500."""
    return isinstance(exc, OperationalError) and "locked" in str(exc)
