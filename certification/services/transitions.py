"""The one entry point that changes a dossier's state.

`perform_transition` looks the transition up, locks the dossier row, checks the state, the
user's permission, the guard and the transition's own input, runs it, saves, records the
effects, writes the hash-chained `TransitionLog`, updates object permissions and enqueues
the notifications once the transaction commits.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.models import AuditReport, CorrectiveAction, InformationRequest
from labelflow.errors import Conflict, InvalidInput, NotAllowed

from ..models import Award, Decision, Dossier, Level, TransitionLog
from . import permissions

SYSTEM = None  # `by=SYSTEM`: the scheduler, for transitions no person runs (expire)


@dataclass(frozen=True)
class Inputs:
    """What a transition asks of the user besides an optional comment."""

    required: dict[str, str] = field(default_factory=dict)  # field -> what to say when missing
    optional: tuple[str, ...] = ()


REASON = gettext_lazy("A reason is required (comment).")
INPUTS: dict[str, Inputs] = {
    "return_for_completion": Inputs({"comment": gettext_lazy("Say what to complete (comment).")}),
    "declare_inadmissible": Inputs({"comment": REASON}),
    "request_information": Inputs({"question": gettext_lazy("A question is required.")}),
    "provide_information": Inputs({"answer": gettext_lazy("An answer is required.")}),
    "issue_report": Inputs(
        {"recommendation": gettext_lazy("A recommendation is required.")}, ("level",)
    ),
    "submit_corrective_actions": Inputs(
        {"plans": gettext_lazy("A corrective action plan is required.")}
    ),
    "award": Inputs({}, ("level",)),
    "refuse": Inputs({"comment": REASON}),
    "suspend": Inputs({"comment": REASON}),
    "reinstate": Inputs({"comment": REASON}),
    "revoke": Inputs({"comment": REASON}),
}

TRANSITION_NAMES = tuple(
    dict.fromkeys(t.name for t in Dossier._meta.get_field("state").get_all_transitions(Dossier))
)


def available_transitions(dossier: Dossier, user) -> list[str]:
    """The transitions this user may run now: state, permission and guard all allow it."""
    return [t.name for t in dossier.get_available_user_state_transitions(user)]


@transaction.atomic
def perform_transition(
    *, dossier: Dossier, name: str, by, comment: str = "", data: dict | None = None
) -> Dossier:
    if name not in TRANSITION_NAMES:
        raise InvalidInput(_("Unknown transition “%s”.") % name)
    data = {**(data or {}), "comment": (comment or "").strip()}
    # The row lock makes a concurrent attempt wait, then see the new state and fail.
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("campaign__scheme", "collectivity")
        .get(pk=dossier.pk)
    )
    source = dossier.state
    meta = getattr(dossier, name)._django_fsm
    spec = meta.get_transition(source)
    if spec is None:
        raise Conflict(
            _("“%(transition)s” is not possible while the dossier is “%(state)s”.")
            % {"transition": name, "state": dossier.get_state_display()}
        )
    if by is not SYSTEM and not spec.has_perm(dossier, by):
        raise NotAllowed(_("You may not run “%s” on this dossier.") % name)
    problems = [p for c in spec.conditions for p in c.guard(dossier)]
    problems += _missing_inputs(name, data)
    if problems:
        raise Conflict(" ".join(problems), missing=problems)

    effect = EFFECTS.get(name)
    prepared = effect.prepare(dossier, data) if effect and effect.prepare else None
    getattr(dossier, name)()
    dossier.save()
    if effect:
        effect.apply(dossier, by, data, prepared)
    log = _append_log(dossier, name, source, by, data["comment"])

    from ..tasks import notify_transition  # tasks import services: import late

    notify_transition.delay_on_commit(log.pk)
    return dossier


def _missing_inputs(name: str, data: dict) -> list[str]:
    def given(value) -> bool:
        return bool(value.strip() if isinstance(value, str) else value)

    inputs = INPUTS.get(name, Inputs())
    return [str(message) for key, message in inputs.required.items() if not given(data.get(key))]


def _append_log(dossier: Dossier, name: str, source: str, by, comment: str) -> TransitionLog:
    previous = dossier.history.order_by("-id").values_list("hash", flat=True).first()
    log = TransitionLog(
        dossier=dossier, transition=name, source=source, target=dossier.state,
        actor=by, at=timezone.now(), comment=comment, previous_hash=previous or "",
    )  # fmt: skip
    log.hash = log.compute_hash()
    log.save()
    return log


# -- Effects: what a transition records besides the state ---------------------------------


@dataclass(frozen=True)
class Effect:
    apply: Callable
    # Validates the transition's input before the state changes; returns what `apply` needs.
    prepare: Callable | None = None


def _text(data: dict, key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise InvalidInput(_("“%s” must be text.") % key)
    return value.strip()


def _level(dossier: Dossier, data: dict) -> Level | None:
    code = data.get("level")
    if not code:
        return None
    level = Level.objects.filter(referential_id=dossier.referential_id, code=code).first()
    if level is None:
        raise InvalidInput(_("Unknown level “%s” for this referential.") % code)
    return level


def _prepare_question(dossier, data):
    return _text(data, "question")


def _record_question(dossier, by, data, question):
    InformationRequest.objects.create(dossier=dossier, question=question, asked_by=by)


def _prepare_answer(dossier, data):
    return _text(data, "answer")


def _record_answer(dossier, by, data, answer):
    request = dossier.information_requests.filter(answered_at__isnull=True).last()
    if request is not None:
        request.answer, request.answered_by, request.answered_at = answer, by, timezone.now()
        request.save(update_fields=["answer", "answered_by", "answered_at"])


def _prepare_report(dossier, data):
    recommendation = data.get("recommendation")
    if recommendation not in AuditReport.Recommendation.values:
        raise InvalidInput(
            _("The recommendation must be one of: %s.")
            % ", ".join(AuditReport.Recommendation.values)
        )
    return recommendation, _level(dossier, data)


def _record_report(dossier, by, data, prepared):
    recommendation, level = prepared
    score = sum(dossier.assessments.values_list("points", flat=True))
    AuditReport.objects.update_or_create(
        dossier=dossier,
        defaults={"recommendation": recommendation, "level": level, "score": score,
                  "summary": data["comment"], "issued_by": by},
    )  # fmt: skip


def _prepare_plans(dossier, data):
    plans = data.get("plans")
    if not isinstance(plans, dict) or not all(isinstance(p, str) for p in plans.values()):
        raise InvalidInput(_("“plans” maps each major finding's id to its plan."))
    plans = {str(k): v.strip() for k, v in plans.items()}
    majors = list(dossier.findings.filter(severity="major", status="open"))
    missing = [f for f in majors if not plans.get(str(f.pk))]
    if missing:
        codes = ", ".join(f"{f.pk} ({f.criterion.code})" for f in missing)
        raise Conflict(_("Each major finding needs a plan; missing: %s.") % codes)
    return [(f, plans[str(f.pk)]) for f in majors]


def _record_plans(dossier, by, data, plans):
    CorrectiveAction.objects.bulk_create(
        CorrectiveAction(finding=finding, plan=plan, submitted_by=by) for finding, plan in plans
    )


def _refer(dossier, by, data, prepared):
    permissions.grant_committee_access(dossier)


def _prepare_award(dossier, data):
    level = _level(dossier, data)
    if level is None:
        report = getattr(dossier, "report", None)
        level = report.level if report else None
    return level


def _record_award(dossier, by, data, level):
    Decision.objects.create(
        dossier=dossier, outcome=Decision.Outcome.AWARD, level=level,
        reasons=data["comment"], decided_by=by,
    )  # fmt: skip
    create_award(dossier, level)


def create_award(dossier: Dossier, level: Level | None, today: date | None = None) -> Award:
    scheme = dossier.campaign.scheme
    today = today or timezone.localdate()
    award = Award.objects.create(
        dossier=dossier, level=level, valid_from=today,
        valid_until=today + relativedelta(months=scheme.validity_months),
        certificate_number=f"pending-{dossier.pk}",
    )  # fmt: skip
    # Numbered from the row's id: unique without a counter table to lock.
    award.certificate_number = f"{scheme.certificate_prefix}-{today.year}-{award.pk:06d}"
    award.save(update_fields=["certificate_number"])
    return award


def _record_refusal(dossier, by, data, prepared):
    Decision.objects.create(
        dossier=dossier, outcome=Decision.Outcome.REFUSE, reasons=data["comment"], decided_by=by
    )


def _award_status(status):
    def apply(dossier, by, data, prepared):
        Award.objects.filter(dossier=dossier).update(status=status)

    return apply


def _submitted(dossier, by, data, prepared):
    Dossier.objects.filter(pk=dossier.pk).update(submitted_at=timezone.now())


EFFECTS: dict[str, Effect] = {
    "submit": Effect(_submitted),
    "request_information": Effect(_record_question, _prepare_question),
    "provide_information": Effect(_record_answer, _prepare_answer),
    "issue_report": Effect(_record_report, _prepare_report),
    "submit_corrective_actions": Effect(_record_plans, _prepare_plans),
    "refer_to_committee": Effect(_refer),
    "award": Effect(_record_award, _prepare_award),
    "refuse": Effect(_record_refusal),
    "suspend": Effect(_award_status(Award.Status.SUSPENDED)),
    "reinstate": Effect(_award_status(Award.Status.ACTIVE)),
    "revoke": Effect(_award_status(Award.Status.REVOKED)),
    "expire": Effect(_award_status(Award.Status.EXPIRED)),
}
