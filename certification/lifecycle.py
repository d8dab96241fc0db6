"""The lifecycle table: one entry per transition of `Dossier.state`.

The django-fsm-2 decorators on `Dossier` say which states a transition links, who may run it
and its guard. This table says the rest: its label and tone, the form of its input (used by
the web page, the admin and the API alike), the dossier's date it stamps, its effect (a
keyword-only service receiving the dossier, the actor and the form's `inputs()`), and who
must act next (notified once it ran).
Nothing else lists transitions; `tests/certification/test_lifecycle.py` fails if a
transition of the model has no entry here.

`dossier_actions(user, dossier)` is what a user may do on a dossier now, each action with
the reason it is blocked: the page's buttons, the API's `available_transitions` and
`actions`, and the admin all read it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audits import forms as audit_forms
from audits import services as audits
from juries import forms as jury_forms
from juries import services as juries

from . import guards, policy, roles
from .forms import AwardForm, CompletionForm, ReasonForm, TransitionForm
from .models import Dossier
from .policy import Verdict
from .services import decisions


@dataclass(frozen=True)
class Step:
    label: Promise
    form: type[TransitionForm] = TransitionForm
    effect: Callable[..., object] | None = None
    stamp: str | None = None  # the dossier's date field it sets, written with the new state
    tone: str = "primary"  # "danger": cannot be undone, shown as a warning
    kind: str | None = None  # only on schemes of this kind ("label" or "trophy")
    next_to_act: str | None = None  # the group whose move it is once this ran
    embargoed: bool = False  # the collectivity hears of it only when the results are published
    bulk: bool = False  # offered on the back office's list, for many dossiers at once
    name: str = ""

    @property
    def destructive(self) -> bool:
        return self.tone == "danger"

    def bind(self, dossier: Dossier, data=None) -> TransitionForm:
        return self.form(data, dossier=dossier, auto_id=f"id_{self.name}_%s")


MANAGERS, COMMITTEE = roles.MANAGERS_GROUP, roles.COMMITTEE_GROUP

STEPS: dict[str, Step] = {
    name: replace(step, name=name)
    for name, step in {
        "submit": Step(_("Submit the dossier"), stamp="submitted_at", next_to_act=MANAGERS),
        "return_for_completion": Step(_("Return for completion"), form=CompletionForm),
        "declare_inadmissible": Step(
            _("Declare inadmissible"), form=ReasonForm, tone="danger"
        ),
        "declare_admissible": Step(_("Declare admissible"), bulk=True),
        "start_review": Step(_("Start the review")),
        "request_information": Step(
            _("Request information"), form=audit_forms.QuestionForm,
            effect=audits.information_request_create,
        ),
        "provide_information": Step(
            _("Provide the information"), form=audit_forms.AnswerForm,
            effect=audits.information_request_answer,
        ),
        "issue_report": Step(
            _("Issue the audit report"), form=audit_forms.ReportForm,
            effect=audits.report_issue, next_to_act=MANAGERS,
        ),
        "request_corrective_actions": Step(_("Request corrective actions"), kind="label"),
        "submit_corrective_actions": Step(
            _("Submit corrective actions"), form=audit_forms.CorrectiveActionsForm,
            effect=audits.corrective_actions_submit,
        ),
        # From then on the committee sees the dossier (`roles.committee_sees`).
        "refer_to_committee": Step(
            _("Refer to the committee"), stamp="referred_at", kind="label",
            next_to_act=COMMITTEE, bulk=True,
        ),
        "award": Step(_("Award"), form=AwardForm, effect=decisions.dossier_award),
        "refuse": Step(
            _("Refuse"), form=ReasonForm, effect=decisions.dossier_refuse, tone="danger"
        ),
        "shortlist": Step(_("Shortlist"), kind="trophy", bulk=True),
        "not_shortlist": Step(_("Do not shortlist"), kind="trophy", tone="danger"),
        "designate_laureate": Step(
            _("Designate as laureate"), form=jury_forms.LaureateForm,
            effect=juries.laureate_designate, kind="trophy", next_to_act=MANAGERS,
            embargoed=True,
        ),
        "designate_finalist": Step(
            _("Designate as finalist"), form=jury_forms.FinalistForm,
            effect=juries.finalist_designate, kind="trophy", next_to_act=MANAGERS,
            embargoed=True,
        ),
        "withdraw": Step(_("Withdraw the dossier"), tone="danger"),
        "suspend": Step(
            _("Suspend the certificate"), form=ReasonForm, effect=decisions.award_suspend
        ),
        "reinstate": Step(
            _("Reinstate the certificate"), form=ReasonForm, effect=decisions.award_reinstate
        ),
        "revoke": Step(
            _("Revoke the certificate"), form=ReasonForm, effect=decisions.award_revoke,
            tone="danger",
        ),
        "expire": Step(_("Expire"), effect=decisions.award_expire),
    }.items()
}  # fmt: skip


S = Dossier.State
# The colour family of each state's badge; the others are shown as in progress.
STATE_TONES = {
    S.DRAFT: "neutral", S.WITHDRAWN: "neutral", S.EXPIRED: "neutral",
    S.AWARDED: "success", S.LAUREATE: "success", S.FINALIST: "success",
    S.SHORTLISTED: "success",
    S.REFUSED: "danger", S.INADMISSIBLE: "danger", S.REVOKED: "danger",
    S.NOT_SHORTLISTED: "danger",
    S.INFORMATION_REQUESTED: "warning", S.CORRECTIVE_ACTIONS: "warning",
    S.SUSPENDED: "warning",
}  # fmt: skip


def label(name: str) -> str:
    """A transition's name for people (a history row may name one no longer offered)."""
    step = STEPS.get(name)
    return str(step.label) if step else name


@dataclass
class Option:
    """A transition this user is entitled to from the current state: runnable now, or
    blocked with the reason (what to fix first)."""

    step: Step
    verdict: Verdict
    form: TransitionForm | None = None  # the page binds one where it shows it

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def problems(self) -> list[str]:
        return guards.sentences(self.verdict.missing)


@dataclass
class DossierActions:
    answer: Verdict
    upload: Verdict
    assess: Verdict
    assign: Verdict
    transitions: list[Option] = field(default_factory=list)

    @property
    def available(self) -> list[str]:
        """The transitions this user may run now, by name."""
        return sorted(o.name for o in self.transitions if o.verdict)

    def as_list(self) -> list[dict]:
        """Every action this user is entitled to, allowed or blocked with its reason."""
        others = [("answer", self.answer), ("upload", self.upload), ("assess", self.assess),
                  ("assign", self.assign)]  # fmt: skip
        rows = [(o.name, "transition", o.verdict) for o in self.transitions]
        rows += [(name, "edit", verdict) for name, verdict in others if verdict.entitled]
        return [
            {"name": name, "type": kind, "allowed": verdict.allowed,
             "detail": verdict.reason, "missing": verdict.missing}
            for name, kind, verdict in rows
        ]  # fmt: skip


def dossier_actions(user, dossier: Dossier) -> DossierActions:
    actions = DossierActions(
        answer=policy.may_answer(user, dossier),
        upload=policy.may_upload(user, dossier),
        assess=policy.may_assess(user, dossier),
        assign=policy.may_assign(user, dossier),
    )
    for step in STEPS.values():
        if not policy.applies(dossier, step):  # not from this state: not even a reason
            continue
        verdict = policy.may_run(user, dossier, step)
        if verdict.allowed or verdict.missing:  # runnable, or blocked by its guard
            actions.transitions.append(Option(step, verdict))
    return actions
