from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import roles
from certification.models import Dossier
from certification.selectors import is_id
from certification.services import permissions
from certification.tasks import notify_assignment
from labelflow.errors import Conflict, InvalidInput, NotAllowed, NotVisible

from .models import Assessment, Assignment, Finding

AUDITORS_GROUP = "auditors"
ASSIGNABLE_STATES = {Dossier.State.ADMISSIBLE, Dossier.State.UNDER_REVIEW,
                     Dossier.State.INFORMATION_REQUESTED}  # fmt: skip
FINDING_SEVERITY = {
    Assessment.Rating.MINOR_NC: Finding.Severity.MINOR,
    Assessment.Rating.MAJOR_NC: Finding.Severity.MAJOR,
}


@transaction.atomic
def assignment_create(*, dossier: Dossier, auditor_username: str, role: str, by) -> Assignment:
    if not roles.is_manager(by):
        raise NotAllowed(_("Only programme managers assign auditors."))
    if dossier.state not in ASSIGNABLE_STATES:
        raise Conflict(_("Auditors are assigned once the dossier is admissible."))
    if role not in Assignment.Role.values:
        raise InvalidInput(_("The role must be “lead” or “co”."))
    auditor = (
        get_user_model()
        .objects.filter(username=auditor_username, is_active=True, groups__name=AUDITORS_GROUP)
        .first()
    )
    if auditor is None:
        raise InvalidInput(_("“%s” is not an auditor.") % auditor_username)
    if dossier.collectivity.memberships.filter(user=auditor).exists():
        raise InvalidInput(_("An auditor may not audit their own collectivity."))
    current = dossier.assignments.filter(ended_at__isnull=True)
    if current.filter(auditor=auditor).exists():
        raise Conflict(_("%s is already assigned to this dossier.") % auditor_username)
    if role == Assignment.Role.LEAD and current.filter(role=role).exists():
        raise Conflict(_("This dossier already has a lead auditor."))
    assignment = Assignment.objects.create(
        dossier=dossier, auditor=auditor, role=role, assigned_by=by
    )
    notify_assignment.delay_on_commit(assignment.pk)
    return assignment


def get_assignment_for(user, pk) -> Assignment:
    assignment = (
        Assignment.objects.select_related("dossier").filter(pk=pk).first() if is_id(pk) else None
    )
    if assignment is None or not (assignment.auditor_id == user.pk or roles.is_manager(user)):
        raise NotVisible(_("No such assignment."))
    return assignment


@transaction.atomic
def assignment_declare(
    *, assignment: Assignment, by, has_conflict: bool, details: str
) -> Assignment:
    """The auditor's conflict-of-interest declaration; without a conflict, it opens the dossier."""
    if assignment.auditor_id != by.pk:
        raise NotAllowed(_("Only the assigned auditor declares their conflicts of interest."))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        raise Conflict(_("This assignment has ended."))
    if assignment.declared_at is not None:
        raise Conflict(_("The declaration was already made."))
    if has_conflict and not details.strip():
        raise InvalidInput(_("Describe the conflict of interest."))
    assignment.has_conflict = has_conflict
    assignment.conflict_details = details.strip()
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["has_conflict", "conflict_details", "declared_at"])
    if not has_conflict:
        permissions.grant_auditor_access(assignment)
    return assignment


@transaction.atomic
def assignment_end(*, assignment: Assignment, by) -> Assignment:
    """Take an auditor off a dossier, e.g. after they declared a conflict of interest, so
    that another can be assigned. Their access to the dossier goes with it."""
    if not roles.is_manager(by):
        raise NotAllowed(_("Only programme managers end assignments."))
    assignment = (
        Assignment.objects.select_for_update().select_related("dossier").get(pk=assignment.pk)
    )
    if assignment.ended_at is not None:
        raise Conflict(_("This assignment has already ended."))
    if assignment.dossier.state not in ASSIGNABLE_STATES:
        raise Conflict(_("Auditors can no longer change on this dossier."))
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    if assignment.declared_at is not None and not assignment.has_conflict:
        permissions.revoke_auditor_access(assignment)
    return assignment


@transaction.atomic
def assessment_record(*, dossier: Dossier, criterion_code: str, rating: str, points: int,
                      comment: str, by) -> Assessment:  # fmt: skip
    if not roles.has(by, roles.AUDIT, dossier):
        raise NotAllowed(_("Only the dossier's auditors assess it."))
    if dossier.state != Dossier.State.UNDER_REVIEW:
        raise Conflict(_("Criteria are assessed while the dossier is under review."))
    criterion = dossier.referential.criteria.filter(code=criterion_code).first()
    if criterion is None:
        raise InvalidInput(_("Unknown criterion “%s” for this dossier.") % criterion_code)
    if rating not in Assessment.Rating.values:
        raise InvalidInput(
            _("The rating must be one of: %s.") % ", ".join(Assessment.Rating.values)
        )
    if not 0 <= points <= criterion.max_points:
        raise InvalidInput(
            _("Points for %(code)s go from 0 to %(max)d.")
            % {"code": criterion.code, "max": criterion.max_points}
        )
    assessment, _created = Assessment.objects.update_or_create(
        dossier=dossier, criterion=criterion,
        defaults={"rating": rating, "points": points, "comment": comment, "assessor": by},
    )  # fmt: skip
    _sync_finding(assessment, by)
    return assessment


def _sync_finding(assessment: Assessment, by) -> None:
    """A nonconformity opens (or re-grades) the criterion's finding; conformity closes it."""
    open_findings = Finding.objects.filter(
        dossier=assessment.dossier, criterion=assessment.criterion, status=Finding.Status.OPEN
    )
    severity = FINDING_SEVERITY.get(assessment.rating)
    if severity is None:
        open_findings.update(status=Finding.Status.CLOSED, closed_at=timezone.now())
    elif not open_findings.update(severity=severity, description=assessment.comment):
        Finding.objects.create(
            dossier=assessment.dossier, criterion=assessment.criterion, severity=severity,
            description=assessment.comment, raised_by=by,
        )  # fmt: skip
