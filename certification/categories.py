"""Which categories of a campaign a collectivity fits, and why not. A category admits a range
of population; categories have no kind, so the population is the only rule. The dashboard's
form, the API's `GET campaigns/{id}/categories/` and `dossier_create` all ask here, so that
they offer, choose and refuse alike."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import InvalidInput
from .models import Category, Collectivity


@dataclass
class Choice:
    """A campaign's categories for one collectivity."""

    categories: list[Category]  # each with `fits` and `reason` (why not; empty when it fits)
    fitting: list[Category]
    category: Category | None  # the only one that fits: a dossier opened without one takes it
    note: str  # why none is chosen: none fits (the population and the ranges), or several do


def choice(categories: list[Category], collectivity: Collectivity) -> Choice:
    for category in categories:
        category.reason = refusal(category, collectivity)
        category.fits = not category.reason
    fitting = [c for c in categories if c.fits]
    only = fitting[0] if len(fitting) == 1 else None
    note = ""
    if categories and not fitting:
        ranges = "; ".join(f"“{c.name}”: {population_range(c)}" for c in categories)
        note = _(
            "No category of this campaign admits a population of %(population)s "
            "(%(collectivity)s). The categories: %(ranges)s."
        ) % {"population": inhabitants(collectivity.population), "collectivity": collectivity,
             "ranges": ranges}  # fmt: skip
    elif len(fitting) > 1:
        note = _("Several categories admit a population of %(population)s: choose one of "
                 "%(names)s.") % {"population": inhabitants(collectivity.population),
                                  "names": names(fitting)}  # fmt: skip
    return Choice(categories, fitting, only, note)


def choose(categories: list[Category], collectivity: Collectivity,
           code: str | None) -> Category | None:  # fmt: skip
    """The category a dossier of `collectivity` opens in: the one `code` names, if it admits
    the population; without a code, the only one that does. None for a campaign without
    categories. Otherwise invalid input, at the `category` field, saying which fit."""
    found = choice(categories, collectivity)
    if not code:
        if found.category or not categories:
            return found.category
        raise _invalid(found.note)
    category = next((c for c in categories if c.code == code), None)
    if category is None:
        raise _invalid(_("Unknown category “%s” for this campaign.") % code)
    if category.fits:
        return category
    if found.fitting:
        hint = ngettext("The category that fits: %s.", "The categories that fit: %s.",
                        len(found.fitting)) % names(found.fitting)  # fmt: skip
    else:
        hint = _("No category of this campaign admits it.")
    raise _invalid(f"{category.reason} {hint}")


def refusal(category: Category, collectivity: Collectivity) -> str:
    """Why `collectivity` does not fit `category`; empty when it does."""
    if category.admits(collectivity.population):
        return ""
    return _("“%(category)s” is for %(range)s; %(collectivity)s has %(population)s.") % {
        "category": category.name, "range": population_range(category),
        "collectivity": collectivity, "population": inhabitants(collectivity.population),
    }  # fmt: skip


def population_range(category: Category) -> str:
    low, high = category.min_population, category.max_population
    if low is not None and high is not None:
        return _("%(min)s to %(max)s inhabitants") % {
            "min": inhabitants(low), "max": inhabitants(high)
        }  # fmt: skip
    if high is not None:
        return _("up to %s inhabitants") % inhabitants(high)
    if low is not None:
        return _("%s inhabitants or more") % inhabitants(low)
    return _("any population")


def inhabitants(number: int) -> str:
    return number_format(number, force_grouping=True)


def names(categories: list[Category]) -> str:
    return ", ".join(f"“{c.name}”" for c in categories)


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, errors={"category": [message]})
