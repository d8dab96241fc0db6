"""Forms of the web UI. They validate input only; the services decide and act."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.models import Assessment, Assignment, AuditReport

from .models import Campaign, Collectivity, Dossier, Membership
from .services.transitions import INPUTS, Inputs

TEXT = {"rows": 3}

# What each transition is called on its button.
TRANSITION_LABELS = {
    "submit": _("Submit the dossier"),
    "return_for_completion": _("Return for completion"),
    "declare_inadmissible": _("Declare inadmissible"),
    "declare_admissible": _("Declare admissible"),
    "start_review": _("Start the review"),
    "request_information": _("Request information"),
    "provide_information": _("Provide the information"),
    "issue_report": _("Issue the audit report"),
    "request_corrective_actions": _("Request corrective actions"),
    "submit_corrective_actions": _("Submit corrective actions"),
    "refer_to_committee": _("Refer to the committee"),
    "award": _("Award"),
    "refuse": _("Refuse"),
    "shortlist": _("Shortlist"),
    "not_shortlist": _("Do not shortlist"),
    "designate_laureate": _("Designate laureate"),
    "designate_finalist": _("Designate finalist"),
    "withdraw": _("Withdraw the dossier"),
    "suspend": _("Suspend the certificate"),
    "reinstate": _("Reinstate the certificate"),
    "revoke": _("Revoke the certificate"),
    "expire": _("Expire"),
}
# Transitions that cannot be undone get a warning style.
DESTRUCTIVE = {"declare_inadmissible", "refuse", "withdraw", "revoke", "not_shortlist"}


class DossierCreateForm(forms.Form):
    """Open a dossier: offers the referent's collectivities and the open campaigns, accepts
    any collectivity and campaign the user can see, so the service says why it refuses."""

    collectivity = forms.ModelChoiceField(queryset=Collectivity.objects.none(),
                                          label=_("Collectivity"))  # fmt: skip
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), label=_("Campaign"))
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 help_text=_("Only for campaigns with categories."))  # fmt: skip

    def __init__(self, *args, collectivities, offered_collectivities, offered_campaigns,
                 **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["collectivity"].queryset = collectivities
        self.fields["collectivity"].choices = [("", "---------")] + [
            (c.pk, c.name) for c in offered_collectivities
        ]
        self.fields["campaign"].queryset = Campaign.objects.all()
        self.fields["campaign"].choices = [("", "---------")] + [
            (c.pk, c.name) for c in offered_campaigns
        ]
        groups = [
            (c.name, [(cat.code, cat.name) for cat in c.categories.all()])
            for c in offered_campaigns
            if c.categories.all()
        ]
        self.fields["category"].choices = [("", _("None"))] + groups
        self.has_categories = bool(groups)


class ResponseForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), required=False, max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    self_points = forms.IntegerField(label=_("Self-assessed points"), required=False,
                                     min_value=0)  # fmt: skip


class DocumentUploadForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Evidence file"), allow_empty_file=True)


class AssignmentForm(forms.Form):
    auditor = forms.CharField(label=_("Auditor (username)"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Assignment.Role.choices)


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


class AssessmentForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput)
    rating = forms.ChoiceField(label=_("Rating"), choices=Assessment.Rating.choices)
    points = forms.IntegerField(label=_("Points"), min_value=0)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=10000,
                              widget=forms.Textarea(attrs=TEXT))  # fmt: skip


class CollectivityForm(forms.ModelForm):
    class Meta:
        model = Collectivity
        fields = ["name", "kind", "siren", "insee_code", "population", "department", "region"]


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), *Dossier.State.choices])  # fmt: skip


class TransitionForm(forms.Form):
    """The comment and the transition's own input (see `INPUTS`). Which inputs are required
    is checked by `perform_transition`, after state and permission, so that a refused user
    hears 403 rather than a missing field; the browser still marks them required."""

    comment = forms.CharField(label=_("Comment"), required=False, max_length=10000,
                              widget=forms.Textarea(attrs=TEXT))  # fmt: skip

    def __init__(self, *args, name: str, levels=(), findings=(), **kwargs):
        kwargs.setdefault("auto_id", f"id_{name}_%s")
        super().__init__(*args, **kwargs)
        self.name = name
        self.label = TRANSITION_LABELS.get(name, name)
        self.destructive = name in DESTRUCTIVE
        self.findings = list(findings)
        level_choices = [("", _("Not set"))] + [(level.code, level.name) for level in levels]
        if name == "request_information":
            self.fields["question"] = _text(_("Question"))
        elif name == "provide_information":
            self.fields["answer"] = _text(_("Answer"))
        elif name == "issue_report":
            self.fields["recommendation"] = forms.ChoiceField(
                label=_("Recommendation"), required=False,
                choices=[("", "---------"), *AuditReport.Recommendation.choices],
            )  # fmt: skip
            self.fields["level"] = forms.ChoiceField(
                label=_("Level"), required=False, choices=level_choices
            )
        elif name == "award":
            self.fields["level"] = forms.ChoiceField(
                label=_("Level"), required=False, choices=level_choices,
                help_text=_("Left empty, the level the audit report recommends."),
            )  # fmt: skip
        elif name == "submit_corrective_actions":
            for finding in self.findings:
                self.fields[f"plan_{finding.pk}"] = _text(
                    _("Plan for the finding on %(code)s") % {"code": finding.criterion.code}
                )
        inputs = INPUTS.get(name, Inputs())
        for key in inputs.required:
            for field_name in self._fields_of(key):
                self.fields[field_name].widget.attrs["required"] = True

    def _fields_of(self, key: str) -> list[str]:
        if key == "plans":
            return [f for f in self.fields if f.startswith("plan_")]
        return [key] if key in self.fields else []

    def service_data(self) -> dict:
        """The `data` argument of `perform_transition`."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "comment" and v}
        plans = {k.removeprefix("plan_"): data.pop(k) for k in list(data) if k.startswith("plan_")}
        if self.name == "submit_corrective_actions":
            data["plans"] = plans
        return data


def _text(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=10000,
                           widget=forms.Textarea(attrs=TEXT))  # fmt: skip
