"""Public pages: certificate verification and the registry of certificates."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject

from .. import selectors
from ..errors import NotVisible
from ..forms import RegistryFilterForm, VerifyForm
from ..models import Award
from ..paging import Paginator

PAGE_SIZE = 25


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
    """The registry is the same for every visitor: its list (the lines, the pages) is kept
    per search, page and language, for `selectors.REGISTRY_KEPT` seconds at most and until a
    certificate is issued or changes status (`selectors.registry_changed`), and so is a
    search's count; the search form is kept apart (a certificate's change leaves it as it
    is). The lines are read only when the list is written (`page` is lazy)."""
    form = RegistryFilterForm(request.GET)
    filters = form.filters()
    awards = selectors.registry(**filters) if filters is not None else Award.objects.none()
    kept = selectors.registry_count_kept(filters) if filters is not None else None
    paginator = Paginator(awards, PAGE_SIZE, lines=selectors.registry_lines, kept=kept)
    context = {
        "form": form,
        "page": SimpleLazyObject(lambda: _lines(paginator.get_page(request.GET.get("page")))),
        # A refused search is not kept.
        "kept_for": selectors.REGISTRY_KEPT if filters is not None else 0,
        "version": selectors.registry_version(),
    }
    return render(request, "certification/registry.html", context,
                  status=200 if filters is not None else 400)  # fmt: skip


CODE = "code"  # stands for a line's verification code in the link `_lines` writes


def _lines(page):
    """The page's lines with their verification link (`verify_url`) and end date
    (`valid_until_text`) written once for the page: a `reverse` and a date formatting a line
    cost a third of the list's template, and the lines' dates repeat."""
    head, tail = reverse("verify", args=[CODE]).rsplit(CODE, 1)
    dates = {}
    for award in page:
        award.verify_url = f"{head}{award.verification_code}{tail}"
        if award.valid_until not in dates:
            dates[award.valid_until] = date_format(award.valid_until, "SHORT_DATE_FORMAT")
        award.valid_until_text = dates[award.valid_until]
    return page
