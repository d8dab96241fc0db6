"""A trophy jury worked by hand: its entries, its jurors and their sheets."""

import pytest

from juries import services
from tests import factories as f


def jury_with_entries(names):
    """A trophy campaign (A-1 and A-2, 100 points each, weight 1: a sheet is the mean of its
    two points) with an entry per name and a jury of harsh (chair), lenient, neutral."""
    scheme = f.SchemeFactory(kind="trophy")
    campaign = f.CampaignFactory(referential=f.ReferentialFactory(scheme=scheme))
    entries = {
        name: f.DossierFactory(campaign=campaign, state="shortlisted",
                               collectivity=f.CollectivityFactory(name=name))
        for name in names
    }  # fmt: skip
    people = {name: f.juror(name) for name in ("harsh", "lenient", "neutral")}
    manager = f.manager()
    jury = services.jury_create(
        campaign=campaign, category_code=None, name="Jury", members=["lenient", "neutral"],
        chair="harsh", by=manager,
    )  # fmt: skip
    return jury, entries, people, manager


def sheet(entry, by, value):
    services.declare(dossier=entry, by=by, has_conflict=False)
    for code in ("A-1", "A-2"):
        services.score_save(dossier=entry, by=by, criterion_code=code, points=value)
    services.sheet_submit(dossier=entry, by=by)


@pytest.fixture
def worked():
    jury, entries, people, manager = jury_with_entries(["Xanten", "Yport", "Zellenberg"])
    x, y, z = entries["Xanten"], entries["Yport"], entries["Zellenberg"]
    for entry, value in [(x, 40), (y, 50), (z, 30)]:
        sheet(entry, people["harsh"], value)
    services.declare(dossier=x, by=people["lenient"], has_conflict=True, reason="Ancien élu.")
    for entry, value in [(y, 80), (z, 100)]:
        sheet(entry, people["lenient"], value)
    for entry, value in [(x, 70), (y, 60), (z, 50)]:
        sheet(entry, people["neutral"], value)
    return jury, entries, people, manager
