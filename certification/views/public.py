"""Public pages: certificate verification and the registry of certificates."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from ..models import Award

PAGE_SIZE = 25


def _awards():
    return Award.objects.select_related(
        "dossier__collectivity", "dossier__campaign__scheme", "level"
    )


def verify(request, code):
    award = get_object_or_404(_awards(), verification_code=code)
    return render(request, "certification/verify.html", {"award": award})


def registry(request):
    awards = _awards().filter(status=Award.Status.ACTIVE).order_by("-valid_from", "-id")
    page = Paginator(awards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certification/registry.html", {"page": page})
