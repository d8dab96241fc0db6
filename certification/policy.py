"""May this user do this on this dossier now, and if not, why.

Each predicate returns a `Verdict`: allowed, or refused with a reason and the error it
becomes (403 when the user is not entitled, 409 when it is not possible now). Services call
`.enforce()`; pages, the admin and the API read the same verdicts through
`certification.lifecycle.dossier_actions`, so a button is shown, greyed out with its reason,
or absent for exactly the reasons the service would give.

This is also the only module that reads django-fsm's description of a transition.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import guards, roles
from .errors import Conflict, DomainError, NotAllowed
from .guards import describe
from .models import Dossier

S = Dossier.State
EDITABLE_STATES = {S.DRAFT}
UPLOAD_STATES = {S.DRAFT, S.INFORMATION_REQUESTED, S.CORRECTIVE_ACTIONS}
ASSESSABLE_STATES = {S.UNDER_REVIEW}
ASSIGNABLE_STATES = {S.ADMISSIBLE, S.UNDER_REVIEW, S.INFORMATION_REQUESTED}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""
    error: type[DomainError] | None = None
    missing: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def entitled(self) -> bool:
        """Whether the user could do it at some point: refused only for now (409)."""
        return self.allowed or self.error is Conflict

    def refusal(self) -> DomainError | None:
        """The error a refusal becomes (None when allowed)."""
        if self.allowed:
            return None
        return self.error(self.reason, **({"missing": self.missing} if self.missing else {}))

    def enforce(self) -> None:
        if not self.allowed:
            raise self.refusal()


ALLOWED = Verdict(True)


def not_entitled(reason: str) -> Verdict:
    return Verdict(False, reason, NotAllowed)


def not_now(reason: str, missing: list[dict] | None = None) -> Verdict:
    return Verdict(False, reason, Conflict, missing or [])


def may_answer(user, dossier: Dossier) -> Verdict:
    if not roles.has(user, roles.EDIT, dossier):
        return not_entitled(_("You may not edit this dossier."))
    if dossier.state not in EDITABLE_STATES:
        return not_now(_("Answers can only change while the dossier is a draft."))
    return ALLOWED


def may_upload(user, dossier: Dossier, criterion=None) -> Verdict:
    """Add evidence to the dossier, or to one of its criteria. After submission evidence is
    frozen, except for the criteria an open information request or corrective action names
    (`guards.reopened_criteria`)."""
    if not roles.has(user, roles.EDIT, dossier):
        return not_entitled(_("You may not add evidence to this dossier."))
    if dossier.state not in UPLOAD_STATES:
        return not_now(
            _("Evidence can be added to a draft, or to the criteria an information request "
              "or a corrective action reopens.")
        )  # fmt: skip
    reopened = guards.reopened_criteria(dossier)
    if reopened is None:
        return ALLOWED
    if criterion is None and not reopened:
        return not_now(_("No criterion is reopened for new evidence."))
    if criterion is not None and criterion.pk not in reopened:
        return not_now(
            _(
                "The evidence of %s is frozen since the dossier was submitted: only the criteria "
                "an open information request or corrective action names accept new files."
            )
            % criterion.code
        )
    return ALLOWED


def may_assess(user, dossier: Dossier) -> Verdict:
    if not roles.has(user, roles.AUDIT, dossier):
        return not_entitled(_("Only the dossier's auditors assess it."))
    if dossier.state not in ASSESSABLE_STATES:
        return not_now(_("Criteria are assessed while the dossier is under review."))
    return ALLOWED


def may_review_corrective_action(user, dossier: Dossier) -> Verdict:
    """Accept or reject the collectivity's corrective action on a finding."""
    if not roles.has(user, roles.AUDIT, dossier):
        return not_entitled(_("Only the dossier's auditors review corrective actions."))
    if dossier.state not in ASSESSABLE_STATES:
        return not_now(_("Corrective actions are reviewed while the dossier is under review."))
    return ALLOWED


def may_assign(user, dossier: Dossier) -> Verdict:
    """Assign an auditor, or end an assignment."""
    if not roles.is_manager(user):
        return not_entitled(_("Only programme managers assign auditors."))
    if dossier.state in {S.DRAFT, S.SUBMITTED}:
        return not_now(_("Auditors are assigned once the dossier is admissible."))
    if dossier.state not in ASSIGNABLE_STATES:
        return not_now(_("Auditors can no longer change on this dossier."))
    return ALLOWED


def may_add_member(user, collectivity) -> Verdict:
    if roles.is_manager(user) or roles.is_referent_of(user, collectivity):
        return ALLOWED
    return not_entitled(_("Only managers and the collectivity's referents add members."))


def may_open_dossier(user, collectivity) -> Verdict:
    if roles.is_referent_of(user, collectivity):
        return ALLOWED
    return not_entitled(_("Only a referent of the collectivity may open a dossier."))


def applies(dossier: Dossier, step) -> bool:
    """Whether the transition leaves the dossier's state on its kind of scheme (no query)."""
    if _fsm_transition(dossier, step.name) is None:
        return False
    return not step.kind or step.kind == dossier.campaign.scheme.kind


def may_run(user, dossier: Dossier, step) -> Verdict:
    """A transition of the lifecycle table: from this state, on this kind of scheme, by this
    user (`user=None` is the scheduler), with its guard met."""
    if not applies(dossier, step):
        return not_now(
            _("“%(transition)s” is not possible while the dossier is “%(state)s”.")
            % {"transition": step.name, "state": dossier.get_state_display()}
        )
    spec = _fsm_transition(dossier, step.name)
    # The scheduler (no user) runs only what no person may: `roles.system_only`.
    entitled = (
        spec.permission is roles.system_only if user is None else spec.has_perm(dossier, user)
    )
    if not entitled:
        return not_entitled(_("You may not run “%s” on this dossier.") % step.name)
    missing = [entry for check in spec.conditions for entry in guards.run(check.guard, dossier)]
    if missing:
        return not_now(describe(missing), missing)
    return ALLOWED


def _fsm_transition(dossier: Dossier, name: str):
    """django-fsm-2's description of transition `name` from the dossier's current state
    (its permission and conditions), or None."""
    method = getattr(type(dossier), name, None)
    meta = getattr(method, "_django_fsm", None)
    return meta.get_transition(dossier.state) if meta else None
