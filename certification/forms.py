"""Forms of the web UI. They validate input only; the services decide and act."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import categories, guards, selectors
from .models import Campaign, Collectivity, Criterion, Dossier, Level, Membership

TEXT = {"rows": 3}


# On the dashboard, choosing a collectivity or a campaign fetches the category field again,
# with the categories that fit (`views.dashboard.dossier_categories`).
REFRESH_CATEGORIES = {
    "hx-get": reverse_lazy("dossier-categories"), "hx-target": "#category-field",
    "hx-swap": "outerHTML", "hx-include": "#id_collectivity, #id_campaign",
}  # fmt: skip


class DossierCreateForm(forms.Form):
    """Open a dossier: offers the referent's collectivities and the open campaigns, accepts
    any collectivity and campaign the user can see, so the service says why it refuses.

    The category select offers, for the chosen collectivity, only the categories that fit
    (per campaign, or the chosen campaign's), the only one chosen; the service checks any
    code sent and its refusal is shown at the field."""

    collectivity = forms.ModelChoiceField(
        queryset=Collectivity.objects.none(), label=_("Collectivity"),
        widget=forms.Select(attrs=REFRESH_CATEGORIES),
    )  # fmt: skip
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(), label=_("Campaign"),
        widget=forms.Select(attrs=REFRESH_CATEGORIES),
    )  # fmt: skip
    category = forms.CharField(label=_("Category"), required=False, widget=forms.Select,
                               validators=[MaxLengthValidator(50)],
                               template_name="labelflow/forms/category_field.html")  # fmt: skip

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
        if not self.is_bound and len(offered_collectivities) == 1:
            self.initial.setdefault("collectivity", offered_collectivities[0].pk)
        given = self.data if self.is_bound else self.initial
        collectivity = _among(offered_collectivities, given.get("collectivity"))
        campaign = _among(offered_campaigns, given.get("campaign"))
        self._offer_categories(collectivity, campaign, offered_campaigns)

    def _offer_categories(self, collectivity, campaign, offered_campaigns) -> None:
        field = self.fields["category"]
        field.help_text = _("For campaigns with categories: those that fit the collectivity's "
                            "population.")  # fmt: skip
        groups, found = [], None
        for each in [campaign] if campaign else offered_campaigns:
            every = list(each.categories.all())
            found = categories.choice(every, collectivity) if collectivity else None
            offered = found.fitting if found else every
            if offered:
                groups.append((each.name, [(c.code, c.name) for c in offered]))
        field.widget.choices = [("", "---------"), *groups]
        if found is None or campaign is None:
            return
        if not found.categories:
            field.help_text = _("This campaign has no categories.")
        elif found.category is None:
            field.help_text = found.note
        else:
            field.help_text = _("The only category that admits a population of %s.") % (
                categories.inhabitants(collectivity.population)
            )
            # Shown chosen, unless the user chose another: the service then says why not.
            if not self.is_bound:
                self.initial["category"] = found.category.code
            elif not self.data.get("category"):
                self.data = self.data.copy()
                self.data["category"] = found.category.code


def _among(offered, pk):
    return next((o for o in offered if str(o.pk) == str(pk)), None) if pk else None


class ResponseForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), required=False, max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    self_points = forms.IntegerField(label=_("Self-assessed points"), required=False,
                                     min_value=0)  # fmt: skip


class CollectivityForm(forms.ModelForm):
    class Meta:
        model = Collectivity
        fields = ["name", "kind", "siren", "insee_code", "population", "department", "region"]


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class RegistryFilterForm(forms.Form):
    """The registry's search and filters, for the page and the API alike."""

    search = forms.CharField(label=_("Collectivity"), required=False, max_length=200)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    level = forms.CharField(label=_("Level"), required=False, max_length=50)
    department = forms.CharField(label=_("Department"), required=False, max_length=100)
    region = forms.CharField(label=_("Region"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once the list is shown or a scheme asked for: not for a search without one.
        self.fields["scheme"].choices = lambda: self.scheme_choices

    @cached_property
    def scheme_choices(self) -> list[tuple[str, str]]:
        return [("", _("All schemes")), *selectors.registry_schemes()]

    def filters(self) -> dict | None:
        """The selector's arguments, or None when the parameters are not valid."""
        return self.cleaned_data if self.is_valid() else None


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"), max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "LPP-2026-000123"}),
    )  # fmt: skip


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), *Dossier.State.choices])  # fmt: skip


def _text(label, required: str | None = None) -> forms.CharField:
    """A text box; `required` is what to say when it is left empty."""
    return forms.CharField(
        label=label, required=bool(required), max_length=10000,
        widget=forms.Textarea(attrs=TEXT), error_messages={"required": required or ""},
    )  # fmt: skip


class TransitionForm(forms.Form):
    """A transition's input: an optional comment, plus what a subclass asks for. The web page,
    the admin and the API all validate with the form the lifecycle table names.

    `perform_transition` binds it after checking the state and the permission, so that a
    refused user hears 403 rather than a missing field; a required field left empty is then
    reported as missing (409), any other error as invalid input (400)."""

    comment = _text(_("Comment"))

    def __init__(self, data=None, *, dossier, **kwargs):
        super().__init__(data, **kwargs)
        self.dossier = dossier
        for field in self.fields.values():
            if isinstance(field, LevelChoiceField):  # the levels of the dossier's referential
                field.queryset = Level.objects.filter(referential_id=dossier.referential_id)
            if isinstance(field, CriteriaField):  # the criteria of the dossier's referential
                field.queryset = Criterion.objects.filter(referential_id=dossier.referential_id)

    def clean(self):
        """A JSON body can carry any type where the page sends text: only text is taken."""
        for name, field in self.fields.items():
            value = self.data.get(name)
            if value is not None and not isinstance(field, forms.JSONField | CriteriaField):
                number = isinstance(field, forms.IntegerField) and type(value) is int
                if not isinstance(value, str) and not number:
                    self.add_error(name, forms.ValidationError(_("Text is expected."), "type"))
        return super().clean()

    def missing(self) -> list[dict]:
        """The required fields left empty, as a 409's `missing` entries."""
        return [
            guards.missing("input_missing", str(error.message), field=name)
            for name, errors in self.errors.as_data().items()
            for error in errors
            if error.code == "required"
        ]

    def invalid(self) -> dict[str, list[str]]:
        """Every other error, by field."""
        return {
            name: [str(m) for e in errors if e.code != "required" for m in e.messages]
            for name, errors in self.errors.as_data().items()
            if any(e.code != "required" for e in errors)
        }

    def inputs(self) -> dict:
        """What the transition's effect receives, besides the dossier and the actor."""
        return dict(self.cleaned_data)


class ReasonForm(TransitionForm):
    comment = _text(_("Reason"), required=_("A reason is required (comment)."))


class CompletionForm(TransitionForm):
    comment = _text(_("What to complete"), required=_("Say what to complete (comment)."))


class LevelChoiceField(forms.ModelChoiceField):
    """A level of the dossier's referential, named by its code."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Level.objects.none(), to_field_name="code", required=False,
                         **kwargs)  # fmt: skip
        self.error_messages["invalid_choice"] = _("Unknown level for this referential.")

    def label_from_instance(self, level) -> str:
        return level.name


class AwardForm(TransitionForm):
    """The committee awards at the audit report's level, or at another with its reasons.
    Where the referential has levels, an award always has one."""

    level = LevelChoiceField(
        label=_("Level"), help_text=_("Left empty, the level the audit report recommends.")
    )
    comment = _text(_("Reasons"))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        report = getattr(self.dossier, "report", None)
        proposed = report.level if report else None
        level = cleaned.get("level") or proposed
        if level is None and self.fields["level"].queryset.exists():
            self.add_error("level", forms.ValidationError(
                _("The audit report reaches no level: choose the level to award."), "required"
            ))  # fmt: skip
        elif proposed is not None and level != proposed and not cleaned.get("comment"):
            self.add_error("comment", forms.ValidationError(
                _("Awarding “%(level)s” rather than the report's “%(proposed)s” needs the "
                  "committee's reasons (comment).") % {"level": level, "proposed": proposed},
                "required",
            ))  # fmt: skip
        cleaned["level"] = level
        return cleaned


class CriteriaField(forms.ModelMultipleChoiceField):
    """Criteria of the dossier's referential, named by their codes (a list in JSON)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Criterion.objects.none(), to_field_name="code", required=False,
                         **kwargs)  # fmt: skip
        self.error_messages["invalid_choice"] = _(
            "Unknown criterion for this referential: %(value)s."
        )
        self.error_messages["invalid_list"] = _("A list of criterion codes is expected.")

    def label_from_instance(self, criterion) -> str:
        return f"{criterion.code} · {criterion.title}"
