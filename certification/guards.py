"""Guards on a dossier's own data. Each returns the list of what is missing (empty when
the transition may run), so a refusal can say exactly what to fix."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _


def campaign_open_and_complete(dossier) -> list[str]:
    problems = []
    if not dossier.campaign.is_open():
        problems.append(_("The campaign is not open."))
    criteria = (
        dossier.referential.criteria.filter(mandatory=True)
        .annotate(
            answered=Count(
                "responses", filter=Q(responses__dossier=dossier) & ~Q(responses__answer="")
            ),
            evidence=Count(
                "documents",
                filter=Q(
                    documents__dossier=dossier,
                    documents__is_current=True,
                    documents__scan_status="clean",
                ),
            ),
        )
        .order_by("order", "code")
    )
    unanswered = [c.code for c in criteria if not c.answered]
    unbacked = [c.code for c in criteria if not c.evidence]
    if unanswered:
        problems.append(_("Mandatory criteria without an answer: %s.") % ", ".join(unanswered))
    if unbacked:
        problems.append(_("Mandatory criteria without clean evidence: %s.") % ", ".join(unbacked))
    return problems


def conflict_of_interest_declared(dossier) -> list[str]:
    lead = dossier.assignments.filter(role="lead", ended_at__isnull=True).first()
    if lead is None:
        return [_("No lead auditor is assigned.")]
    if lead.declared_at is None:
        return [_("The lead auditor has not declared their conflicts of interest.")]
    if lead.has_conflict:
        return [_("The lead auditor declared a conflict of interest.")]
    return []


def every_criterion_assessed(dossier) -> list[str]:
    missing = list(
        dossier.referential.criteria.exclude(assessments__dossier=dossier)
        .order_by("order", "code")
        .values_list("code", flat=True)
    )
    if missing:
        return [_("Criteria not assessed yet: %s.") % ", ".join(missing)]
    return []


def _open_major_findings(dossier):
    return dossier.findings.filter(severity="major", status="open")


def label_with_open_major_findings(dossier) -> list[str]:
    if dossier.campaign.scheme.kind != "label":
        return [_("Only label dossiers have corrective actions.")]
    if not _open_major_findings(dossier).exists():
        return [_("There is no open major finding.")]
    return []


def label_without_open_major_findings(dossier) -> list[str]:
    if dossier.campaign.scheme.kind != "label":
        return [_("Only label dossiers go to the certification committee.")]
    if _open_major_findings(dossier).exists():
        return [_("Major findings are still open: request corrective actions first.")]
    return []


def is_trophy(dossier) -> list[str]:
    if dossier.campaign.scheme.kind != "trophy":
        return [_("Only trophy dossiers are shortlisted.")]
    return []


def validity_ended(dossier) -> list[str]:
    award = getattr(dossier, "certificate", None)
    if award is None or award.valid_until >= timezone.localdate():
        return [_("The label is still valid.")]
    return []


def condition(guard):
    """Adapt a guard to django-fsm's boolean `conditions=`."""

    def check(dossier) -> bool:
        return not guard(dossier)

    check.guard = guard
    check.__name__ = guard.__name__
    return check
