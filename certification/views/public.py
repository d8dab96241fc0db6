"""Public pages: certificate verification and the registry of certificates."""

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from .. import selectors
from ..errors import NotVisible
from ..forms import RegistryFilterForm, VerifyForm
from ..models import Award
from ..paging import Paginator

PAGE_SIZE = 25
# The longest a kept registry list may be behind a change the registry is not told about
# (e.g. a collectivity renamed in the back office).
REGISTRY_KEPT = 60  # seconds


def verify(request, code):
    """A certificate by its verification code (the QR code's link)."""
    return _verdict(request, code=code)


def verify_number(request):
    """A certificate by its number, typed in the verification box."""
    form = VerifyForm(request.GET or None)
    if not form.is_valid():
        return render(request, "certification/verify.html", {"form": form},
                      status=400 if request.GET else 200)  # fmt: skip
    return _verdict(request, number=form.cleaned_data["number"].strip(), form=form)


def _verdict(request, form=None, **lookup):
    try:
        award = selectors.get_certificate(**lookup)
    except NotVisible as unknown:
        context = {"form": form or VerifyForm(), "unknown": str(unknown)}
        return render(request, "certification/verify.html", context, status=404)
    return render(request, "certification/verify.html", {"award": award, "form": VerifyForm()})


def registry(request):
    """The registry is the same for every visitor: its list (the search form, the lines,
    the pages) is kept per search, page and language, for `REGISTRY_KEPT` seconds at most
    and until a certificate is issued or changes status (`selectors.registry_changed`).
    The lines are read only when the list is written (`page` is lazy)."""
    form = RegistryFilterForm(request.GET)
    filters = form.filters()
    awards = selectors.registry(**filters) if filters is not None else Award.objects.none()
    paginator = Paginator(awards, PAGE_SIZE, lines=selectors.registry_lines)
    context = {
        "form": form,
        "page": SimpleLazyObject(lambda: paginator.get_page(request.GET.get("page"))),
        "kept_for": REGISTRY_KEPT if filters is not None else 0,  # a refused search: not kept
        "version": selectors.registry_version(),
    }
    return render(request, "certification/registry.html", context,
                  status=200 if filters is not None else 400)  # fmt: skip
