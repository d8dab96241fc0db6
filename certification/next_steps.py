"""Who acts next on a dossier, and what they do, read from its state alone.

The dashboards show it on every row of a list: asking `lifecycle.dossier_actions` per row
would cost queries per row (permissions, guards), so a list reads this small table instead.
The dossier's own page says exactly what this user may do (`dossier_actions`)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Dossier

COLLECTIVITY, MANAGER, AUDITOR, COMMITTEE, JURY = (
    "collectivity", "manager", "auditor", "committee", "jury",
)  # fmt: skip

ACTORS = {
    COLLECTIVITY: _("The collectivity"),
    MANAGER: _("The programme manager"),
    AUDITOR: _("The auditor"),
    COMMITTEE: _("The committee"),
    JURY: _("The jury"),
}


@dataclass(frozen=True)
class NextStep:
    actor: str | None  # one of ACTORS, or None once nobody has to act
    text: Promise

    @property
    def actor_label(self) -> str:
        return str(ACTORS[self.actor]) if self.actor else ""


S = Dossier.State
NEXT_STEPS: dict[str, NextStep] = {
    S.DRAFT: NextStep(COLLECTIVITY, _("answer the criteria, upload the evidence, then submit")),
    S.SUBMITTED: NextStep(MANAGER, _("check the dossier's admissibility")),
    S.ADMISSIBLE: NextStep(AUDITOR, _("declare conflicts of interest, then start the review")),
    S.UNDER_REVIEW: NextStep(AUDITOR, _("assess the criteria, then issue the report")),
    S.INFORMATION_REQUESTED: NextStep(COLLECTIVITY, _("answer the auditor's question")),
    S.REPORT_ISSUED: NextStep(MANAGER, _("decide what follows the audit report")),
    S.CORRECTIVE_ACTIONS: NextStep(COLLECTIVITY, _("submit a corrective action plan")),
    S.COMMITTEE_REVIEW: NextStep(COMMITTEE, _("decide on the label")),
    S.SHORTLISTED: NextStep(JURY, _("score the entry and deliberate")),
    S.AWARDED: NextStep(None, _("labelled: surveillance audits follow")),
    S.SUSPENDED: NextStep(COMMITTEE, _("reinstate or revoke the certificate")),
}
DONE = NextStep(None, _("nothing more to do"))

# The states in which the collectivity's people have something to do.
COLLECTIVITY_ACTS = [state for state, step in NEXT_STEPS.items() if step.actor == COLLECTIVITY]


def next_step(state: str) -> NextStep:
    return NEXT_STEPS.get(state, DONE)
