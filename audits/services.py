from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import policy, roles
from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.models import Dossier
from certification.services import permissions

from . import scoring
from .models import (
    Assessment,
    Assignment,
    AuditReport,
    CorrectiveAction,
    Finding,
    InformationRequest,
    IssuedReport,
)
from .tasks import notify_assignment

FINDING_SEVERITY = {
    Assessment.Rating.MINOR_NC: Finding.Severity.MINOR,
    Assessment.Rating.MAJOR_NC: Finding.Severity.MAJOR,
}


@transaction.atomic
def assignment_create(*, dossier: Dossier, auditor_username: str, role: str, by) -> Assignment:
    policy.may_assign(by, dossier).enforce()
    if role not in Assignment.Role.values:
        raise InvalidInput(_("The role must be “lead” or “co”."))
    auditors = get_user_model().objects.filter(groups__name=roles.AUDITORS_GROUP, is_active=True)
    auditor = auditors.filter(username=auditor_username).first()
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
    assignment = (
        Assignment.objects.select_for_update().select_related("dossier").get(pk=assignment.pk)
    )
    policy.may_assign(by, assignment.dossier).enforce()
    if assignment.ended_at is not None:
        raise Conflict(_("This assignment has already ended."))
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    if assignment.declared_at is not None and not assignment.has_conflict:
        permissions.revoke_auditor_access(assignment)
    return assignment


@transaction.atomic
def assessment_record(*, dossier: Dossier, criterion_code: str, rating: str, points: int,
                      comment: str, by) -> Assessment:  # fmt: skip
    policy.may_assess(by, dossier).enforce()
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
    cap = scoring.points_cap(dossier.referential, rating, criterion.max_points)
    if points > cap:
        message = _(
            "Rated “%(rating)s”, %(code)s carries at most %(cap)d points out of %(max)d."
        ) % {"rating": Assessment.Rating(rating).label, "code": criterion.code, "cap": cap,
             "max": criterion.max_points}  # fmt: skip
        raise InvalidInput(message, errors={"points": [message]})
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


@transaction.atomic
def corrective_action_review(*, action: CorrectiveAction, by, accepted: bool,
                             reason: str = "") -> CorrectiveAction:  # fmt: skip
    """The auditor's verdict on a corrective action: accepted, its finding closes; rejected
    (with a reason), the finding stays open and the collectivity is asked for a new plan
    through `request_corrective_actions`."""
    action = (
        CorrectiveAction.objects.select_for_update(of=("self",))
        .select_related("finding__dossier__campaign__scheme", "finding__criterion")
        .get(pk=action.pk)
    )  # the dossier as it is now, the action locked against a second review
    policy.may_review_corrective_action(by, action.finding.dossier).enforce()
    if action.review != CorrectiveAction.Review.PENDING:
        raise Conflict(_("This corrective action was already reviewed."))
    reason = reason.strip()
    if not accepted and not reason:
        message = _("Say why the corrective action is rejected (reason).")
        raise InvalidInput(message, errors={"reason": [message]})
    action.review = (
        CorrectiveAction.Review.ACCEPTED if accepted else CorrectiveAction.Review.REJECTED
    )
    action.review_reason, action.reviewed_by, action.reviewed_at = reason, by, timezone.now()
    action.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at"])
    if accepted:
        Finding.objects.filter(pk=action.finding_id, status=Finding.Status.OPEN).update(
            status=Finding.Status.CLOSED, closed_at=action.reviewed_at
        )
    return action


# -- The effects of the audit's transitions (see `certification.lifecycle`) ----------------


def information_request_create(*, dossier: Dossier, by, question: str, comment: str,
                               criteria=(), due_date=None) -> InformationRequest:  # fmt: skip
    """The question, the criteria it reopens for new evidence, and its due date."""
    if due_date is None:
        due_date = timezone.localdate() + timedelta(days=settings.INFORMATION_REQUEST_DAYS)
    request = InformationRequest.objects.create(
        dossier=dossier, question=question, asked_by=by, due_date=due_date
    )
    request.criteria.set(criteria)
    return request


def information_request_answer(*, dossier: Dossier, by, answer: str, comment: str) -> None:
    request = dossier.information_requests.filter(answered_at__isnull=True).last()
    if request is not None:
        request.answer, request.answered_by, request.answered_at = answer, by, timezone.now()
        request.save(update_fields=["answer", "answered_by", "answered_at"])


def report_issue(*, dossier: Dossier, by, recommendation: str, comment: str) -> AuditReport:
    """The report records the score computed from the assessments and the level it reaches
    (`audits.scoring`); the form has checked that an award is recommended only at a level."""
    score = scoring.dossier_score(dossier)
    report, _created = AuditReport.objects.update_or_create(
        dossier=dossier,
        defaults={"recommendation": recommendation, "level": score.level, "score": score.total,
                  "summary": comment, "issued_by": by},
    )  # fmt: skip
    _keep_as_issued(dossier, report, score)
    return report


def _keep_as_issued(dossier: Dossier, report: AuditReport, score) -> IssuedReport:
    """The report as issued, for good: a new version each time it is issued."""
    from documents.tasks import store_report_pdf  # the documents app reads these models

    findings = dossier.findings.select_related("criterion").order_by("id")
    latest = dossier.issued_reports.order_by("-version").values_list("version", flat=True)
    issued = IssuedReport.objects.create(
        dossier=dossier, version=(latest.first() or 0) + 1, issued_by=report.issued_by,
        issued_at=timezone.now(),
        snapshot={
            "collectivity": dossier.collectivity.name,
            "campaign": dossier.campaign.name,
            "referential": f"{dossier.referential.title} (v{dossier.referential.version})",
            "recommendation": report.recommendation,
            "summary": report.summary,
            "issued_by": report.issued_by.get_full_name() or report.issued_by.username,
            "score": score.total,
            "max_score": score.max_score,
            "level": score.level.name if score.level else None,
            "chapters": [
                {"code": c.code, "title": c.title, "points": c.points,
                 "max_points": c.max_points, "percent": c.percent}
                for c in score.chapters
            ],
            "levels": [
                {"name": lv.name, "min_score": lv.min_score, "max_score": lv.max_score}
                for lv in score.levels
            ],
            "findings": [
                {"criterion": f.criterion.code, "severity": f.severity, "status": f.status,
                 "description": f.description}
                for f in findings
            ],
        },
    )  # fmt: skip
    store_report_pdf.delay_on_commit(issued.pk)
    return issued


def corrective_actions_submit(*, dossier: Dossier, by, plans: list[tuple[Finding, str]],
                              comment: str) -> None:  # fmt: skip
    CorrectiveAction.objects.bulk_create(
        CorrectiveAction(finding=finding, plan=plan, submitted_by=by) for finding, plan in plans
    )
