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
    text: Promise  # a list's cell: what the actor does
    sentence: Promise  # the dossier page's "what happens next", and who acts

    @property
    def actor_label(self) -> str:
        return str(ACTORS[self.actor]) if self.actor else ""


S = Dossier.State
ENDED = _("Nothing more happens on this dossier.")
DONE = NextStep(None, _("nothing more to do"), ENDED)
PUBLISH = NextStep(MANAGER, _("publish the results"),
                   _("The programme managers publish the results next."))  # fmt: skip
NEXT_STEPS: dict[str, NextStep] = {
    S.DRAFT: NextStep(
        COLLECTIVITY, _("answer the criteria and upload the evidence"),
        _("The collectivity answers the criteria and uploads the evidence; its referent then "
          "submits the dossier."),
    ),
    S.SUBMITTED: NextStep(MANAGER, _("check the dossier's admissibility"),
                          _("The programme managers check admissibility next.")),
    S.ADMISSIBLE: NextStep(
        AUDITOR, _("declare conflicts of interest, then start the review"),
        _("A programme manager assigns the auditors next; the lead auditor declares their "
          "conflicts of interest, then starts the review."),
    ),
    S.UNDER_REVIEW: NextStep(
        AUDITOR, _("assess the criteria, then issue the report"),
        _("The auditors assess each criterion next; the lead auditor then issues the audit "
          "report."),
    ),
    S.INFORMATION_REQUESTED: NextStep(
        COLLECTIVITY, _("answer the auditor's question"),
        _("The collectivity's referent answers the auditor's question next (new evidence goes "
          "to the criteria it names)."),
    ),
    S.REPORT_ISSUED: NextStep(
        MANAGER, _("decide what follows the audit report"),
        _("The programme managers refer the dossier to the certification committee next, or "
          "corrective actions are requested."),
    ),
    S.CORRECTIVE_ACTIONS: NextStep(
        COLLECTIVITY, _("send a corrective action plan"),
        _("The collectivity's referent submits a corrective action plan for each major finding "
          "next."),
    ),
    S.COMMITTEE_REVIEW: NextStep(
        COMMITTEE, _("decide on the label"),
        _("The certification committee decides next whether to grant the label."),
    ),
    S.SHORTLISTED: NextStep(
        JURY, _("score the entry and deliberate"),
        _("The jury scores the entry next; its chair then designates the laureates and "
          "finalists."),
    ),
    S.LAUREATE: PUBLISH,
    S.FINALIST: PUBLISH,
    S.AWARDED: NextStep(None, _("labelled: surveillance audits follow"),
                        _("The label is valid: surveillance audits follow until it expires.")),
    S.SUSPENDED: NextStep(
        COMMITTEE, _("decide on the suspended certificate"),
        _("The certification committee or a programme manager reinstates or revokes the "
          "certificate next."),
    ),
}  # fmt: skip
# A trophy's report leads to the jury rather than to the committee.
TROPHY_REPORT_ISSUED = NextStep(
    MANAGER, _("decide whether the entry goes before the jury"),
    _("The programme managers decide next whether the entry goes before the jury."),
)  # fmt: skip

# The states in which the collectivity's people have something to do.
COLLECTIVITY_ACTS = [state for state, step in NEXT_STEPS.items() if step.actor == COLLECTIVITY]


def next_step(state: str, kind: str = "label") -> NextStep:
    if state == S.REPORT_ISSUED and kind == "trophy":
        return TROPHY_REPORT_ISSUED
    return NEXT_STEPS.get(state, DONE)
