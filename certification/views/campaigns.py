"""Campaigns and the referential each one runs on: what a collectivity applies against."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from ..models import Campaign

PAGE_SIZE = 25


@login_required
def campaign_list(request):
    campaigns = Campaign.objects.select_related("scheme").order_by("-opens_at", "id")
    status = request.GET.get("status", "")
    if status in Campaign.STATUSES:
        campaigns = campaigns.with_status(status)
    context = {
        "page": Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page")),
        "status": status,
        "statuses": Campaign.STATUSES,
    }
    return render(request, "certification/campaign_list.html", context)


@login_required
def campaign_detail(request, pk):
    campaign = get_object_or_404(
        Campaign.objects.select_related("scheme", "referential").prefetch_related(
            "categories", "referential__chapters__criteria", "referential__levels"
        ),
        pk=pk,
    )
    return render(request, "certification/campaign_detail.html", {"campaign": campaign})
