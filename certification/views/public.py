"""Public pages: certificate verification and the registry of certificates."""

from django.shortcuts import render

from .. import selectors
from ..paging import Paginator

PAGE_SIZE = 25


def verify(request, code):
    award = selectors.get_certificate(code=code)
    return render(request, "certification/verify.html", {"award": award})


def registry(request):
    page = Paginator(selectors.registry(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certification/registry.html", {"page": page})
