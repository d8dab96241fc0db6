"""The dossier workspace: what happens next, and who acts, in each state."""

from django import template
from django.utils.translation import gettext_lazy as _

from ..models import Dossier, Scheme

register = template.Library()

S = Dossier.State
ENDED = _("Nothing more happens on this dossier.")
NEXT = {
    S.DRAFT: _("The collectivity answers the criteria and uploads the evidence; its referent "
               "then submits the dossier."),
    S.SUBMITTED: _("The programme managers check admissibility next."),
    S.ADMISSIBLE: _("A programme manager assigns the auditors next; the lead auditor declares "
                    "their conflicts of interest, then starts the review."),
    S.INADMISSIBLE: ENDED,
    S.UNDER_REVIEW: _("The auditors assess each criterion next; the lead auditor then issues "
                      "the audit report."),
    S.INFORMATION_REQUESTED: _("The collectivity's referent answers the auditor's question "
                               "next (new evidence goes to the criteria it names)."),
    S.REPORT_ISSUED: _("The programme managers refer the dossier to the certification "
                       "committee next, or corrective actions are requested."),
    S.CORRECTIVE_ACTIONS: _("The collectivity's referent submits a corrective action plan for "
                            "each major finding next."),
    S.COMMITTEE_REVIEW: _("The certification committee decides next: award or refuse."),
    S.AWARDED: _("The label is valid: surveillance audits follow until it expires."),
    S.REFUSED: ENDED,
    S.SHORTLISTED: _("The jury scores the entry next; its chair then designates the laureates "
                     "and finalists."),
    S.NOT_SHORTLISTED: ENDED,
    S.LAUREATE: _("The programme managers publish the results next."),
    S.FINALIST: _("The programme managers publish the results next."),
    S.WITHDRAWN: ENDED,
    S.SUSPENDED: _("The certification committee or a programme manager reinstates or revokes "
                   "the certificate next."),
    S.REVOKED: ENDED,
    S.EXPIRED: ENDED,
}  # fmt: skip
TROPHY_REPORT_ISSUED = _("The programme managers decide next whether to shortlist the entry "
                         "for the jury.")  # fmt: skip


@register.filter
def next_step(dossier: Dossier) -> str:
    """What happens next on `dossier`, and who acts."""
    if dossier.state == S.REPORT_ISSUED and dossier.campaign.scheme.kind == Scheme.Kind.TROPHY:
        return str(TROPHY_REPORT_ISSUED)
    return str(NEXT.get(dossier.state, ""))
