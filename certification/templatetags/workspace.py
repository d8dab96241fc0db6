"""The dossier workspace: what happens next, and who acts (`certification.next_steps`)."""

from django import template

from ..models import Dossier
from ..next_steps import next_step as step_after

register = template.Library()


@register.filter
def next_step(dossier: Dossier) -> str:
    """What happens next on `dossier`, and who acts."""
    return str(step_after(dossier.state, dossier.campaign.scheme.kind).sentence)
