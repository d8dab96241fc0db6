"""Forms of the audit: assignments, declarations, assessments, and the input of the audit's
transitions (see `certification.lifecycle`)."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from certification import guards
from certification.forms import TEXT, CriteriaField, TransitionForm, _text

from . import scoring, selectors
from .models import Assessment, Assignment, AuditReport, Finding


def auditor_label(user) -> str:
    """How an auditor is offered: their name (and username, when the name differs), and how
    many assignments they already carry."""
    name = user.get_full_name()
    who = f"{name} ({user.username})" if name else user.username
    return ngettext(
        "%(who)s — %(count)d open assignment", "%(who)s — %(count)d open assignments",
        user.workload,
    ) % {"who": who, "count": user.workload}  # fmt: skip


def auditor_choices() -> list[tuple[str, str]]:
    """The auditors as (username, label) pairs, for a plain `<select>`."""
    return [(user.username, auditor_label(user)) for user in selectors.auditors_with_workload()]


class AuditorField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return auditor_label(obj)


class AssignmentForm(forms.Form):
    """The auditor is chosen from the list of auditors (by name, with their workload); the
    API still names them by username, which is the option's value."""

    auditor = AuditorField(
        label=_("Auditor"), queryset=get_user_model().objects.none(), to_field_name="username",
        empty_label=_("Choose an auditor"),
        help_text=_("Type the first letters of a name to move to it in the list."),
        error_messages={
            "required": _("Choose an auditor."),
            "invalid_choice": _("“%(value)s” is not an auditor: choose one from the list."),
        },
    )  # fmt: skip
    role = forms.ChoiceField(label=_("Role"), choices=Assignment.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = selectors.auditors_with_workload()


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[("no", _("I have no conflict of interest")),
                 ("yes", _("I have a conflict of interest"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )  # fmt: skip
    details = forms.CharField(label=_("Details"), required=False, max_length=10000,
                              widget=forms.Textarea(attrs=TEXT))  # fmt: skip


class CorrectiveActionReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.HiddenInput,
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason (required to reject)"), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class AssessmentForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput)
    rating = forms.ChoiceField(label=_("Rating"), choices=Assessment.Rating.choices)
    points = forms.IntegerField(label=_("Points"), min_value=0)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=10000,
                              widget=forms.Textarea(attrs=TEXT))  # fmt: skip


class QuestionForm(TransitionForm):
    """What the auditor asks; the criteria it names accept new evidence until it is
    answered (the others stay frozen); it is due on `due_date` (by default
    `INFORMATION_REQUEST_DAYS` from now)."""

    question = _text(_("Question"), required=_("A question is required."))
    criteria = CriteriaField(
        label=_("Criteria reopened for new evidence"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Only these criteria accept new files until the answer."),
    )  # fmt: skip
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for %(days)s days from today.")
        % {"days": settings.INFORMATION_REQUEST_DAYS},
    )  # fmt: skip

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."), "past")
        return due


class AnswerForm(TransitionForm):
    answer = _text(_("Answer"), required=_("An answer is required."))


class ReportForm(TransitionForm):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=AuditReport.Recommendation.choices,
        error_messages={"required": _("A recommendation is required.")},
    )  # fmt: skip
    comment = _text(_("Summary"))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["recommendation"].error_messages["invalid_choice"] = _(
            "The recommendation must be one of: %s."
        ) % ", ".join(AuditReport.Recommendation.values)
        self._score = None

    @property
    def score(self):
        """The score and level the report will record (read once, when first asked)."""
        if self._score is None:
            self._score = scoring.dossier_score(self.dossier)
        return self._score

    def clean_recommendation(self):
        """An award is recommended only at a level, where the referential has levels."""
        recommendation = self.cleaned_data["recommendation"]
        score = self.score
        if recommendation == AuditReport.Recommendation.AWARD and score.levels and not score.level:
            raise forms.ValidationError(
                _("The score, %(score)d out of %(max)d, reaches no level (the lowest starts at "
                  "%(lowest)d): recommend refusing or deferring.")
                % {"score": score.total, "max": score.max_score,
                   "lowest": score.levels[0].min_score},
                "no_level",
            )  # fmt: skip
        return recommendation


class CorrectiveActionsForm(TransitionForm):
    """A plan for each open major finding. The page shows one box per finding
    (`plan_<id>`); the API sends `plans`, a mapping of finding ids to plans."""

    plans = forms.JSONField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, dossier, **kwargs):
        plans = data.get("plans") if data is not None else None
        if isinstance(plans, dict):
            data = {**data, **{f"plan_{key}": value for key, value in plans.items()}}
        super().__init__(data, dossier=dossier, **kwargs)
        self.findings = list(
            dossier.findings.filter(severity=Finding.Severity.MAJOR, status=Finding.Status.OPEN)
            .select_related("criterion")
            .order_by("id")
        )
        for finding in self.findings:
            code = finding.criterion.code
            self.fields[f"plan_{finding.pk}"] = _text(
                _("Plan for the finding on %(code)s") % {"code": code},
                required=_("A corrective action plan is required for %(code)s (finding %(id)d).")
                % {"code": code, "id": finding.pk},
            )

    def clean(self):
        plans = self.data.get("plans")
        if plans not in (None, "", "null") and not isinstance(plans, dict):
            self.add_error("plans", forms.ValidationError(
                _("“plans” maps each major finding's id to its plan."), "type"
            ))  # fmt: skip
        return super().clean()

    def missing(self) -> list[dict]:
        by_field = {f"plan_{f.pk}": f for f in self.findings}
        entries = []
        for entry in super().missing():
            finding = by_field.get(entry["field"])
            if finding is None:
                entries.append(entry)
            else:
                entries.append(guards.missing("plan_missing", entry["detail"], finding=finding.pk,
                                              criterion=finding.criterion.code))  # fmt: skip
        return entries

    def inputs(self) -> dict:
        return {
            "comment": self.cleaned_data["comment"],
            "plans": [(f, self.cleaned_data[f"plan_{f.pk}"]) for f in self.findings],
        }
