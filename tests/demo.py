"""The demo's accounts and campaigns (`certification.demo`, the `demo_data` fixture), and
`dossier_at`: a demo dossier brought to a state by tests/walk.py."""

from django.contrib.auth import get_user_model

from certification.models import Campaign, Collectivity, Dossier
from certification.services import dossiers as dossier_services
from tests.walk import Cast, walk


def user(username: str):
    return get_user_model().objects.get(username=username)


def label_campaign() -> Campaign:
    return Campaign.objects.get(scheme__code="label-performance-publique")


def trophy_campaign() -> Campaign:
    """This year's, open (last year's is the jury's, see `certification.demo`)."""
    return Campaign.objects.open().get(scheme__code="trophees-performance-publique")


def collectivity_of(username: str) -> Collectivity:
    return Collectivity.objects.get(memberships__user__username=username)


def cast(referent: str = "niort") -> Cast:
    """The demo's people: `referent`, `auditeur`, `comite` and `gestionnaire`."""
    return Cast(
        referent=user(referent), auditor=user("auditeur"), committee=user("comite"),
        manager=user("gestionnaire"),
    )  # fmt: skip


def dossier_at(state: str, *, referent: str = "niort", majors=(), campaign=None) -> Dossier:
    """A dossier of `referent`'s collectivity, opened on `campaign` (the label's by default,
    in the category its population falls in) and brought to `state`; `majors` are the
    criterion codes the auditor rates as major nonconformities."""
    collectivity = collectivity_of(referent)
    campaign = campaign or label_campaign()
    category = next(
        (c.code for c in campaign.categories.all() if c.admits(collectivity.population)), None
    )
    dossier = dossier_services.dossier_create(
        collectivity=collectivity, campaign=campaign, category_code=category, by=user(referent)
    )
    return walk(dossier, state, cast(referent), majors=majors)
