"""Refuse what no page or endpoint can mean before it reaches a view or the database."""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    """A NUL character in the address names nothing (404); in the query, it is bad input
    (400). PostgreSQL refuses NUL in text, so without this a lookup would fail with 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404(_("Not found."))
        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
            raise BadRequest(_("The address holds a NUL character."))
        return self.get_response(request)
