"""What every API view shares: pagination, and the one place where errors become JSON."""

import logging
import uuid
from functools import partial

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.defaults import bad_request, page_not_found
from rest_framework import parsers, status
from rest_framework.exceptions import ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .. import selectors
from ..errors import BUSY, RETRY_AFTER, DomainError, InvalidInput, NotVisible, database_busy
from ..models import Campaign
from ..paging import Paginator

logger = logging.getLogger(__name__)


class JSONParser(parsers.JSONParser):
    """DRF's, refusing a body nested too deep to parse (Python's parser recurses)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON body is nested too deeply.")) from exc


class Pagination(PageNumberPagination):
    """25 a page; beyond 500 rows, `count` is the database's estimate (see `paging`)."""

    django_paginator_class = Paginator
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class RegistryPagination(Pagination):
    """The registry's lines carry the names they show, read for the page's lines only, and
    a search's count is kept as long as the registry's lists (`view.filters`)."""

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = partial(
            Paginator,
            lines=selectors.registry_lines,
            kept=selectors.registry_count_kept(view.filters),
        )
        return super().paginate_queryset(queryset, request, view)


def exception_handler(exc, context):
    """Every API error becomes JSON with `detail` here, and only here: domain errors with
    their status (and, for a guard, `missing`), DRF's own errors with theirs, and an
    unexpected error a 500 whose `request_id` is also in the log."""
    if isinstance(exc, DomainError):
        return Response({"detail": exc.detail, **exc.extra}, status=exc.status)
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        if "detail" not in detail:
            detail = {"detail": " ".join(m for ms in detail.values() for m in ms), **detail}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return Response({"detail": _("The request is larger than %s.") % limit}, status=413)
    if database_busy(exc):
        headers = {"Retry-After": str(RETRY_AFTER)}
        return Response({"detail": str(BUSY)}, status=503, headers=headers)
    response = drf_exception_handler(exc, context)
    if response is None:
        request_id = uuid.uuid4().hex
        logger.exception("Unexpected API error (request %s)", request_id, exc_info=exc)
        detail = _("An unexpected error occurred; it was logged under %s.") % request_id
        return Response({"detail": detail, "request_id": request_id}, status=500)
    if isinstance(response.data, dict | list):
        if isinstance(response.data, list) or "detail" not in response.data:
            response.data = {"detail": _summary(response.data), "errors": response.data}
    return response


def not_found(request, exception):
    """The API answers an unknown address in JSON too; the site keeps its page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)


def bad_request_page(request, exception):
    """A request refused before any view (e.g. a NUL in the address): JSON for the API."""
    if request.path.startswith("/api/"):
        detail = str(exception.args[0]) if exception.args else _("Bad request.")
        return JsonResponse({"detail": detail}, status=400)
    return bad_request(request, exception)


def _summary(errors) -> str:
    if isinstance(errors, dict):
        return "; ".join(f"{k}: {_summary(v)}" for k, v in errors.items())
    if isinstance(errors, list):
        return " ".join(_summary(e) for e in errors)
    return str(errors)


def campaign_field(pk) -> Campaign:
    """A campaign named in a request's body: one that does not exist is bad input (400),
    not a missing page (404)."""
    try:
        return selectors.get_campaign(pk)
    except NotVisible as exc:
        raise InvalidInput(exc.detail) from exc


def valid(serializer_class, data, **kwargs) -> dict:
    """The request's data, validated by `serializer_class` (400 otherwise)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
