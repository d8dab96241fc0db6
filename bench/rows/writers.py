"""The rows each plan implies, as the services would have written them."""

import hashlib
import random
import secrets
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from audits.models import Assessment, Assignment, AuditReport, Finding, InformationRequest
from certification.models import (
    Award,
    CriterionResponse,
    Decision,
    Dossier,
    DossierGroupObjectPermission,
    DossierUserObjectPermission,
    Level,
    TransitionLog,
)
from certification.services.permissions import AUDITOR_PERMISSIONS, ROLE_PERMISSIONS
from documents.models import Document

from .bulk import Ids, copy
from .people import Base, People
from .plans import Plan, walk
from .shape import AWARD_STATUS, COMMENTS, MINOR_NC_SHARE, S


def write_dossiers(plans: list[Plan], people: People) -> None:
    """The dossiers, each with its `history_head` (`sign_history` must have run)."""
    copy(
        Dossier,
        ["id", "collectivity", "campaign", "category", "referential", "state", "created_by",
         "created_at", "updated_at", "submitted_at", "referred_at", "history_head"],
        ((p.id, p.collectivity, p.campaign.pk, p.category, p.campaign.referential_id,
          str(p.state), people.referent[p.collectivity], p.created_at,
          p.times[-1] if p.times else p.created_at, p.at("submit"), p.at("refer_to_committee"),
          p.head) for p in plans),
    )  # fmt: skip


def write_access(plans: list[Plan], people: People, base: Base) -> None:
    """The guardian rows the workflow grants: the collectivity's role groups on each dossier
    (`grant_collectivity_access`) and each auditor who declared no conflict
    (`grant_auditor_access`). The committee needs none: it sees the referred dossiers."""
    perm = base.permissions

    def group_rows():
        for plan in plans:
            for role, names in ROLE_PERMISSIONS.items():
                group = people.group(plan.collectivity, role)
                yield from ((perm[name], group, plan.id) for name in names)

    def user_rows():
        for plan in plans:
            if not plan.declared:
                continue
            for auditor, role in ((plan.lead, "lead"), (plan.co, "co")):
                if auditor is not None:
                    yield from ((perm[n], auditor, plan.id) for n in AUDITOR_PERMISSIONS[role])

    fields = ["permission", "group", "content_object"]
    copy(DossierGroupObjectPermission, fields, group_rows())
    copy(DossierUserObjectPermission, ["permission", "user", "content_object"], user_rows())


HISTORY_FIELDS = ["dossier", "transition", "source", "target", "actor", "at", "comment",
                  "previous_hash", "hash", "key_id"]  # fmt: skip


def sign_history(plans: list[Plan]) -> None:
    """The log `transitions.perform_transition` writes, kept on each plan: every entry's HMAC
    (and its key id, the signing key's) comes from the model on an unsaved row and covers the
    previous entry's; the last one's is the dossier's `history_head`, which the service reads
    under the row lock to chain the next entry."""
    for plan in plans:
        previous = ""
        path = zip(walk(plan.steps), plan.times, plan.actors, strict=True)
        for (name, source, target), at, actor_id in path:
            log = TransitionLog(
                dossier_id=plan.id, transition=name, source=source, target=target,
                actor_id=actor_id, at=at, comment=COMMENTS.get(name, ""),
                previous_hash=previous,
            )  # fmt: skip
            previous = log.compute_hash()
            plan.history.append((plan.id, name, source, target, actor_id, at, log.comment,
                                 log.previous_hash, previous, log.key_id))  # fmt: skip
        plan.head = previous


def write_history(plans: list[Plan]) -> None:
    """The signed log (`sign_history`); COPY writes it much faster than bulk_create would."""
    copy(TransitionLog, HISTORY_FIELDS, (row for plan in plans for row in plan.history))
    for plan in plans:
        plan.history = []  # written: the memory can go


def write_answers(plans: list[Plan], base: Base, people: People, rng: random.Random) -> None:
    """Every criterion answered once submitted, some in a draft; a clean, current document
    per mandatory criterion once submitted (the submit guard), a few in a draft, some of
    them still being scanned."""
    responses, documents = [], []
    for plan in plans:
        criteria = base.criteria[plan.campaign.referential_id]
        submitted = "submit" in plan.steps
        answered = criteria if submitted else criteria[: rng.randint(0, len(criteria))]
        by = people.referent[plan.collectivity]
        first = plan.times[0] if plan.times else base.now
        when = plan.created_at + (first - plan.created_at) / 2
        for criterion in answered:
            responses.append((plan.id, criterion.pk, f"Notre réponse au critère {criterion.code}.",
                              rng.randint(0, criterion.max_points), by, when))  # fmt: skip
            if criterion.mandatory and (submitted or rng.random() < 0.5):
                clean = submitted or rng.random() < 0.7
                key = f"dossiers/{plan.id}/{criterion.code}/{len(documents)}.pdf"
                documents.append((
                    plan.id, criterion.pk, f"{criterion.code.lower()}-preuve.pdf",
                    rng.randint(20_000, 5_000_000), hashlib.sha256(key.encode()).hexdigest(),
                    "application/pdf", key,
                    Document.ScanStatus.CLEAN if clean else Document.ScanStatus.PENDING,
                    1, True, by, when, "", 0, when if clean else None,
                ))  # fmt: skip
    copy(CriterionResponse, ["dossier", "criterion", "answer", "self_points", "updated_by",
                             "updated_at"], responses)  # fmt: skip
    copy(Document, ["dossier", "criterion", "filename", "size", "sha256", "content_type", "key",
                    "scan_status", "version", "is_current", "uploaded_by", "uploaded_at",
                    "scan_detail", "scan_attempts", "scanned_at"],
         documents)  # fmt: skip


# As `audits.services._sync_finding`: a nonconformity opens a finding of its severity.
FINDING_SEVERITY = {
    Assessment.Rating.MINOR_NC: Finding.Severity.MINOR,
    Assessment.Rating.MAJOR_NC: Finding.Severity.MAJOR,
}


def write_audits(plans: list[Plan], base: Base, rng: random.Random) -> None:
    assignments, assessments, findings, reports, requests = [], [], [], [], []
    for plan in (p for p in plans if p.lead is not None):
        assignments += assignment_rows(plan, base.now)
        requests += information_request_rows(plan)
        start = plan.at("start_review")
        if start is None:
            continue
        when = start + ((plan.at("issue_report") or base.now) - start) / 2
        points = 0
        for criterion, rating, score in assess(plan, base, rng):
            points += score
            assessments.append((plan.id, criterion.pk, plan.lead, rating, score, "", when))
            if rating in FINDING_SEVERITY:
                findings.append((plan.id, criterion.pk, FINDING_SEVERITY[rating],
                                 "Écart relevé à l'audit.", Finding.Status.OPEN, plan.lead,
                                 when))  # fmt: skip
        if "issue_report" in plan.steps:
            plan.level = level_for(base.levels[plan.campaign.referential_id], points)
            refuse = plan.state == S.REFUSED
            reports.append((plan.id, "refuse" if refuse else "award",
                            plan.level.pk if plan.level else None, points, "", plan.lead,
                            plan.at("issue_report")))  # fmt: skip
    copy(Assignment, ["dossier", "auditor", "role", "assigned_by", "assigned_at", "has_conflict",
                      "conflict_details", "declared_at"], assignments)  # fmt: skip
    copy(Assessment, ["dossier", "criterion", "assessor", "rating", "points", "comment",
                      "updated_at"], assessments)  # fmt: skip
    copy(Finding, ["dossier", "criterion", "severity", "description", "status", "raised_by",
                   "raised_at"], findings)  # fmt: skip
    copy(AuditReport, ["dossier", "recommendation", "level", "score", "summary", "issued_by",
                       "issued_at"], reports)  # fmt: skip
    copy(InformationRequest, ["dossier", "question", "asked_by", "asked_at", "due_date", "answer",
                              "answered_by", "answered_at"], requests)  # fmt: skip


def assignment_rows(plan: Plan, now: datetime) -> list[tuple]:
    admitted = plan.at("declare_admissible")
    by = plan.actors[plan.steps.index("declare_admissible")]
    until = plan.at("start_review") or now
    assigned = admitted + (until - admitted) / 5
    declared = admitted + (until - admitted) / 2 if plan.declared else None
    conflict = False if plan.declared else None  # unknown until declared
    rows = [(plan.id, plan.lead, Assignment.Role.LEAD, by, assigned, conflict, "", declared)]
    if plan.co is not None:
        rows.append((plan.id, plan.co, Assignment.Role.CO, by, assigned, conflict, "", declared))
    return rows


def information_request_rows(plan: Plan) -> list[tuple]:
    rows = []
    for i, name in enumerate(plan.steps):
        if name != "request_information":
            continue
        answered = plan.steps[i + 1 : i + 2] == ["provide_information"]
        rows.append((
            plan.id, "Pouvez-vous préciser la méthode de mesure ?", plan.actors[i], plan.times[i],
            (plan.times[i] + timedelta(days=30)).date(), "Voir la note jointe." if answered else "",
            plan.actors[i + 1] if answered else None, plan.times[i + 1] if answered else None,
        ))  # fmt: skip
    return rows


def assess(plan: Plan, base: Base, rng: random.Random) -> list[tuple]:
    """(criterion, rating, points): every criterion once the report is issued (its guard),
    some while under review; one major nonconformity where corrective actions are due."""
    criteria = base.criteria[plan.campaign.referential_id]
    if "issue_report" not in plan.steps:
        criteria = criteria[: rng.randint(0, len(criteria))]
    major = rng.choice(criteria) if plan.state == S.CORRECTIVE_ACTIONS else None
    rows = []
    for criterion in criteria:
        top = criterion.max_points
        if criterion is major:
            rows.append((criterion, Assessment.Rating.MAJOR_NC, rng.randint(0, top * 3 // 10)))
        elif rng.random() < MINOR_NC_SHARE:
            rows.append((criterion, Assessment.Rating.MINOR_NC,
                         rng.randint(top * 3 // 10, top * 6 // 10)))  # fmt: skip
        else:
            rows.append((criterion, Assessment.Rating.CONFORM, rng.randint(top * 6 // 10, top)))
    return rows


def level_for(levels: list[Level], score: int) -> Level | None:
    return next((lv for lv in levels if lv.min_score <= score <= lv.max_score), None)


def write_decisions(plans: list[Plan], base: Base, ids: Ids) -> None:
    """The committee's decisions, and the award each positive one creates (numbered from its
    id, as `transitions.create_award` does)."""
    decisions, awarded = [], []
    for plan in plans:
        name = next((n for n in ("award", "refuse") if n in plan.steps), None)
        if name is None:
            continue
        i = plan.steps.index(name)
        outcome = Decision.Outcome.AWARD if name == "award" else Decision.Outcome.REFUSE
        level = plan.level.pk if plan.level and name == "award" else None
        decisions.append((plan.id, outcome, level, COMMENTS.get(name, ""), plan.actors[i],
                          plan.times[i]))  # fmt: skip
        if name == "award":
            awarded.append(plan)
    copy(Decision, ["dossier", "outcome", "level", "reasons", "decided_by", "decided_at"],
         decisions)  # fmt: skip
    copy(Award, ["id", "dossier", "certificate_number", "level", "valid_from", "valid_until",
                 "status", "verification_code", "created_at", "certificate_key",
                 "certificate_sha256"],
         (award_row(plan, pk) for plan, pk in zip(awarded, ids.take(Award, len(awarded)),
                                                  strict=True)))  # fmt: skip


def award_row(plan: Plan, pk: int) -> tuple:
    """An award whose PDF certificate is not drawn yet (the first download draws it)."""
    scheme = plan.campaign.scheme
    when = plan.at("award")
    day = timezone.localdate(when)
    return (pk, plan.id, f"{scheme.certificate_prefix}-{day.year}-{pk:06d}",
            plan.level.pk if plan.level else None, day,
            day + relativedelta(months=scheme.validity_months), AWARD_STATUS[plan.state],
            secrets.token_urlsafe(12), when, "", "")  # fmt: skip
