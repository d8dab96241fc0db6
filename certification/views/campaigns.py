"""Campaigns and the referential each one runs on: what a collectivity applies against."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import roles, selectors
from ..models import Campaign, Scheme
from ..paging import Paginator
from .common import attempt

PAGE_SIZE = 25


@login_required
def campaign_list(request):
    status = request.GET.get("status", "")
    outcome = attempt(request, lambda: selectors.campaigns(status))  # an unknown status: 400
    campaigns = outcome.value if outcome else selectors.campaigns()
    context = {
        "page": Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page")),
        "status": status if outcome else "",
        "statuses": Campaign.STATUSES,
    }
    return render(request, "certification/campaign_list.html", context, status=outcome.status)


@login_required
def campaign_detail(request, pk):
    campaign = selectors.get_campaign(pk)
    return render(request, "certification/campaign_detail.html",
                  campaign_context(request.user, campaign))  # fmt: skip


def campaign_context(user, campaign: Campaign) -> dict:
    """The campaign; for a trophy campaign, whether its results are published and, for a
    manager, its juries (their pages, the publication)."""
    context = {"campaign": campaign}
    if campaign.scheme.kind == Scheme.Kind.TROPHY:
        from juries.services import published  # the juries' models depend on this app's

        context["results_published"] = published(campaign.pk)
        if roles.is_manager(user):
            context["juries"] = campaign.juries.select_related("category").order_by(
                "category__code", "name"
            )
    return context
