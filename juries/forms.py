"""The chair's designations, as the lifecycle table's forms (page, admin and API alike)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.forms import TransitionForm


class FinalistForm(TransitionForm):
    """A finalist: a short citation, and a named distinction if the jury gives one."""

    citation = forms.CharField(
        label=_("Citation"), max_length=600, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few lines published with the results."),
        error_messages={"required": _("A short citation is required (citation).")},
    )  # fmt: skip
    prize = forms.CharField(label=_("Prize"), max_length=200, required=False,
                            help_text=_("A named prize, e.g. “Prix de l'innovation”."))  # fmt: skip


class LaureateForm(FinalistForm):
    """A laureate: its rank in the category or a named prize, and a short citation."""

    rank = forms.IntegerField(label=_("Rank"), min_value=1, max_value=99, required=False)

    field_order = ["rank", "prize", "citation", "comment"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("rank") and not cleaned.get("prize").strip():
            self.add_error("rank", forms.ValidationError(
                _("Give the laureate a rank or a named prize (rank, prize)."), "required"
            ))  # fmt: skip
        return cleaned


# -- The jurors' pages ----------------------------------------------------------------------


class EntryDeclarationForm(forms.Form):
    """Before opening an entry: no conflict of interest, or a conflict and its reason (the
    service asks for the reason; its refusal is shown at the field)."""

    has_conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[("no", _("I have no conflict of interest with this entry")),
                 ("yes", _("I have a conflict of interest: I recuse myself"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you have a conflict of interest.")},
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required with a conflict of interest: kept in the deliberation's record."),
    )  # fmt: skip


class ScoreForm(forms.Form):
    """One criterion of a score sheet: points (the service checks the criterion's range and
    its refusal is shown at the field) and a comment, required where the campaign asks
    jurors to comment each criterion."""

    points = forms.IntegerField(label=_("Points"))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=10000,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, max_points: int, comment_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        points = self.fields["points"]
        points.label = _("Points (0 to %(max)d)") % {"max": max_points}
        points.widget.attrs.update(min=0, max=max_points, inputmode="numeric")
        if comment_required:
            comment = self.fields["comment"]
            comment.required = True
            comment.label = _("Comment (required)")
            comment.error_messages["required"] = _("This campaign asks for a comment on each "
                                                   "criterion.")  # fmt: skip
