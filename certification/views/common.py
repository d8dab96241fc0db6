"""What every UI view shares: access through the selectors, domain errors as pages."""

from django.contrib import messages
from django.http import Http404

from audits.services import get_assignment_for
from labelflow.errors import DomainError, NotVisible

from .. import selectors
from ..models import Dossier


def dossier_or_404(user, pk) -> Dossier:
    """The dossier if `user` may see it; Django's 404 page otherwise."""
    try:
        return selectors.get_dossier_for(user, pk)
    except NotVisible as exc:
        raise Http404(exc.detail) from exc


def assignment_or_404(user, pk):
    """The assignment if `user` is its auditor or a manager; Django's 404 page otherwise."""
    try:
        return get_assignment_for(user, pk)
    except NotVisible as exc:
        raise Http404(exc.detail) from exc


def report(request, exc: DomainError) -> int:
    """Tell the user why their action was refused and return the status to answer with.
    What they may not see stays a plain 404, with no hint of why."""
    if isinstance(exc, NotVisible):
        raise Http404(exc.detail) from exc
    messages.error(request, exc.detail)
    return exc.status
