"""Campaigns and the referential each one runs on: what a collectivity applies against."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors
from ..models import Campaign
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
    return render(request, "certification/campaign_detail.html", {"campaign": campaign})
