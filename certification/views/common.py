"""The one place where domain errors become what a person sees in the browser.

A page that shows a form again with the reason runs its service call through `attempt`;
whatever a page does not handle reaches `DomainErrorMiddleware`. Either way, what the user
may not see is a plain 404 with no hint of why, and what they may not do a 403."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from ..errors import BUSY, RETRY_AFTER, DomainError, NotAllowed, NotVisible, database_busy


@dataclass
class Outcome:
    value: Any = None
    status: int = 200
    error: str = ""

    def __bool__(self) -> bool:
        return self.status == 200


def attempt(request, call, *, announce: bool = True, form=None) -> Outcome:
    """Run a service call: its result, or the refusal's status and reason (also shown as a
    message unless `announce` is off, when the page shows it next to the field). With a
    validated `form`, a refusal naming some of its fields is shown at those fields instead."""
    try:
        return Outcome(call())
    except NotVisible:
        raise  # the middleware answers 404
    except DomainError as exc:
        errors = exc.extra.get("errors") or {}
        at_fields = {
            name: errors[name] for name in errors if form is not None and name in form.fields
        }
        for name, field_messages in at_fields.items():
            for message in field_messages:
                form.add_error(name, message)
        if announce and not at_fields:
            messages.error(request, exc.detail)
        return Outcome(status=exc.status, error=exc.detail)


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if isinstance(exc, NotVisible):
            raise Http404(exc.detail) from exc
        if isinstance(exc, NotAllowed):
            raise PermissionDenied(exc.detail) from exc
        if isinstance(exc, DomainError):
            return render(request, "error.html", {"detail": exc.detail}, status=exc.status)
        if database_busy(exc):
            response = render(request, "error.html", {"detail": BUSY}, status=503)
            response["Retry-After"] = str(RETRY_AFTER)
            return response
        return None
