"""Small helpers for the UI templates."""

from django import template

from .. import lifecycle, roles
from ..models import Dossier

register = template.Library()

# The colour family of the other statuses shown as badges.
STATUS_TONES = {
    "active": "success",
    "clean": "success",
    "conform": "success",
    "closed": "success",
    "infected": "danger",
    "major_nc": "danger",
    "major": "danger",
    "suspended": "warning",
    "pending": "warning",
    "error": "danger",
    "not_scanned": "warning",
    "minor_nc": "warning",
    "minor": "warning",
    "open": "warning",
    "accepted": "success",
    "rejected": "danger",
}


@register.filter
def tone(value) -> str:
    """The colour family of a state or status badge."""
    value = str(value)
    return lifecycle.STATE_TONES.get(value) or STATUS_TONES.get(value, "progress")


@register.filter
def transition_label(name: str) -> str:
    return lifecycle.label(name)


@register.filter
def is_manager(user) -> bool:
    return roles.is_manager(user)


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def paginate(context, page):
    """Previous/next links that keep the other query parameters (e.g. the state filter)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}


@register.filter
def state_label(value: str) -> str:
    """A dossier state's name in the user's language."""
    try:
        return str(Dossier.State(value).label)
    except ValueError:
        return value


@register.filter
def person(user) -> str:
    """A person as people know them: their name, or their username when it is not set."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.filter
def open_minor(findings) -> list:
    """The open minor findings among `findings`: an award carries them into surveillance."""
    return [f for f in findings if f.severity == "minor" and f.status == "open"]
