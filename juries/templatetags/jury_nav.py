"""The "Jury" link of the site's navigation."""

from django import template
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q

from certification import roles

register = template.Library()

# Every page asks, for every user: the jurors' ids are read in one query and remembered a
# short while for the whole site, so that a page costs no query for the link (someone seated
# a moment ago sees it within this delay, and can always open /jury/ meanwhile).
KEY = "jury-nav:juror-ids"
REMEMBERED_FOR = 60  # seconds


def _juror_ids() -> set[int]:
    ids = cache.get(KEY)
    if ids is None:
        jurors = get_user_model().objects.filter(
            Q(groups__name=roles.JURORS_GROUP) | Q(jury_seats__isnull=False)
        )
        ids = set(jurors.values_list("pk", flat=True))
        cache.set(KEY, ids, REMEMBERED_FOR)
    return ids


@register.filter
def sits_on_a_jury(user) -> bool:
    """In the jurors group or on a jury: the jury pages are theirs."""
    return user.is_authenticated and user.pk in _juror_ids()
