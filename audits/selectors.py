"""Reads of the audit, with the access rules applied."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from certification import roles
from certification.errors import NotVisible
from certification.models import Dossier
from certification.selectors import criteria_count, is_id

from .models import (
    Assessment,
    Assignment,
    CorrectiveAction,
    InformationRequest,
    Surveillance,
)


def get_assignment_for(user, pk) -> Assignment:
    """The assignment if `user` is its auditor or a manager (404 otherwise)."""
    assignment = (
        Assignment.objects.select_related("dossier").filter(pk=pk).first() if is_id(pk) else None
    )
    if assignment is None or not (assignment.auditor_id == user.pk or roles.is_manager(user)):
        raise NotVisible(_("No such assignment."))
    return assignment


def get_corrective_action_for(user, pk) -> CorrectiveAction:
    """The corrective action if `user` may see its dossier (404 otherwise)."""
    action = None
    if is_id(pk):
        action = (
            CorrectiveAction.objects.select_related("finding__dossier", "finding__criterion")
            .filter(pk=pk)
            .first()
        )
    if action is None or not roles.can_view(user, action.finding.dossier):
        raise NotVisible(_("No such corrective action."))
    return action


def get_surveillance_for(user, pk) -> Surveillance:
    """The surveillance audit if `user` may see its dossier (404 otherwise)."""
    surveillance = None
    if is_id(pk):
        surveillance = (
            Surveillance.objects.select_related("dossier", "auditor").filter(pk=pk).first()
        )
    if surveillance is None or not roles.can_view(user, surveillance.dossier):
        raise NotVisible(_("No such surveillance audit."))
    return surveillance


def dossier_surveillances(dossier: Dossier) -> list[Surveillance]:
    return list(dossier.surveillances.select_related("auditor").order_by("due_date", "id"))


def current_assignments_of(user) -> QuerySet[Assignment]:
    """An auditor's assignments that have not ended, newest first."""
    return (
        Assignment.objects.filter(auditor=user, ended_at__isnull=True)
        .select_related("auditor")
        .order_by("-assigned_at", "-id")
    )


def undeclared_assignments_of(user, limit: int) -> list[Assignment]:
    """What an auditor must declare before the dossier opens to them, oldest first."""
    return list(
        Assignment.objects.filter(auditor=user, declared_at__isnull=True, ended_at__isnull=True)
        .select_related("dossier__collectivity", "dossier__campaign")
        .order_by("assigned_at", "id")[:limit]
    )


# What the dashboards show of an open request (a manager's lists fifty), and the dossier's
# state, which its model reads as it is built.
OPEN_REQUEST_FIELDS = ("dossier_id", "question", "due_date", "answered_at", "asked_by__username",
                       "asked_by__first_name", "asked_by__last_name",
                       "dossier__state", "dossier__collectivity__name",
                       "dossier__campaign__name")  # fmt: skip


def open_requests_for(user, limit: int) -> list[InformationRequest]:
    """The unanswered information requests on the dossiers `user` sees, the most pressing
    first (overdue ones lead): what a referent must answer, what an auditor or a manager
    waits for. Managers see every dossier: the partial index `open_requests_due` serves
    them."""
    from certification.selectors import granted_dossier_ids  # which imports nothing of ours

    requests = InformationRequest.objects.filter(answered_at__isnull=True)
    if not roles.is_manager(user):
        if not user.is_authenticated:
            return []
        # Requests are asked and answered during the audit, before any referral: the
        # committee's dossiers are not searched for them.
        requests = requests.filter(dossier_id__in=granted_dossier_ids(user))
    return list(
        requests.select_related("dossier__collectivity", "dossier__campaign", "asked_by")
        .only(*OPEN_REQUEST_FIELDS)
        .order_by("due_date", "id")[:limit]
    )


def dossier_assignments(dossier: Dossier) -> list[Assignment]:
    return list(dossier.assignments.select_related("auditor").order_by("id"))


def assessments_by_criterion(dossier: Dossier, criterion_ids=None) -> dict[int, Assessment]:
    assessments = Assessment.objects.filter(dossier=dossier).select_related("assessor")
    if criterion_ids is not None:
        assessments = assessments.filter(criterion_id__in=criterion_ids)
    return {a.criterion_id: a for a in assessments}


def current_work_of(user, limit: int) -> list[Assignment]:
    """An auditor's assignments that have not ended, oldest first, each with its dossier and
    how many of the dossier's criteria are assessed (`assessed` of `criteria`): what the
    auditor's dashboard sorts by what awaits them. One query."""
    from django.db.models import Count, OuterRef, Subquery

    assessed = (
        Assessment.objects.filter(dossier=OuterRef("dossier"))
        .order_by()
        .values("dossier")
        .annotate(n=Count("id"))
        .values("n")
    )
    criteria = criteria_count(OuterRef("dossier__referential"))
    return list(
        Assignment.objects.filter(auditor=user, ended_at__isnull=True)
        .select_related("dossier__collectivity", "dossier__campaign__scheme")
        .annotate(assessed=Subquery(assessed), criteria=Subquery(criteria))
        .order_by("assigned_at", "id")[:limit]
    )


def auditors_with_workload() -> QuerySet:
    """The active auditors by name, each with `workload`: their assignments that have not
    ended. One query, whatever the number of assignments."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    return (
        get_user_model()
        .objects.filter(groups__name=roles.AUDITORS_GROUP, is_active=True)
        .annotate(workload=Count("assignments", filter=Q(assignments__ended_at__isnull=True)))
        .order_by("last_name", "first_name", "username")
    )
