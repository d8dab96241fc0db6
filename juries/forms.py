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
