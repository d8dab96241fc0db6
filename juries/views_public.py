"""The public laureates: the published trophy campaigns, and each one's laureates and
finalists with their citations and a link to verify each laureate's trophy."""

from itertools import groupby

from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def laureates(request):
    """The published campaigns, by year (the newest first)."""
    years = [
        (year, list(publications))
        for year, publications in groupby(selectors.published_campaigns(),
                                          key=lambda p: p.campaign.year)
    ]  # fmt: skip
    return render(request, "juries/laureates.html", {"years": years})


@require_GET
def campaign_laureates(request, pk):
    """Per category, the laureates (by rank, then the named prizes) then the finalists; 404
    before the results are published. Two queries whatever the number of laureates."""
    campaign, designations = selectors.laureates(pk)
    categories = [
        (category, list(rows))
        for category, rows in groupby(designations, key=lambda d: d.dossier.category)
    ]
    return render(request, "juries/laureates_campaign.html",
                  {"campaign": campaign, "categories": categories})  # fmt: skip
