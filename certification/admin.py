"""The back office. Workflow records (state, log, decisions, awards) are read-only here:
a dossier moves only through `perform_transition`, which the dossier page offers."""

import copy

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from . import lifecycle, roles
from .lifecycle import dossier_actions
from .models import (
    Award,
    Campaign,
    Category,
    Chapter,
    Collectivity,
    Criterion,
    CriterionResponse,
    Decision,
    Dossier,
    Level,
    Membership,
    Referential,
    Scheme,
    TransitionLog,
)
from .services import permissions
from .services.transitions import perform_transition
from .views.common import attempt


class ManagerCanViewMixin:
    """Programme managers read the back office through their role, not model permissions."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or roles.is_manager(request.user)


class ReadOnlyAdminMixin(ManagerCanViewMixin):
    """For records only the workflow writes: shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- Schemes, referentials, campaigns ------------------------------------------------------


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "certificate_prefix", "validity_months"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


class PublishedIsFrozenMixin:
    """A published referential never changes: its parts become read-only."""

    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_published) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_published) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_published) and super().has_delete_permission(request, obj)


class ChapterInline(PublishedIsFrozenMixin, admin.TabularInline):
    model = Chapter
    extra = 0


class CriterionInline(PublishedIsFrozenMixin, admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["chapter", "code", "title", "max_points", "weight", "mandatory", "sdg_goals",
              "order"]  # fmt: skip


class LevelInline(PublishedIsFrozenMixin, admin.TabularInline):
    model = Level
    extra = 0


@admin.register(Referential)
class ReferentialAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "scheme", "version", "max_score", "published_at"]
    list_filter = ["scheme", ("published_at", admin.EmptyFieldListFilter)]
    list_select_related = ["scheme"]
    search_fields = ["title", "scheme__name", "scheme__code"]
    inlines = [ChapterInline, CriterionInline, LevelInline]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_published:
            return ["scheme", "version", "title", "max_score", "published_at"]
        return []


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "year", "opens_at", "closes_at", "status"]
    list_filter = ["scheme", "year"]
    list_select_related = ["scheme"]
    search_fields = ["name", "scheme__name"]
    date_hierarchy = "opens_at"
    inlines = [CategoryInline]


# -- Collectivities ------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Collectivity)
class CollectivityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "siren", "insee_code", "population", "department", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["folded_name__typed", "siren", "insee_code", "department"]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        """Memberships carry object permissions: grant and revoke them as the service does."""
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        changed = [membership for membership, _fields in formset.changed_objects]
        for m in formset.new_objects + changed:
            permissions.set_member_role(m.user, m.collectivity_id, m.role)
        for m in formset.deleted_objects:
            permissions.set_member_role(m.user, m.collectivity_id, role="")


# -- Dossiers and their lifecycle ---------------------------------------------------------


class DossierAdminForm(forms.ModelForm):
    """No field of the dossier is edited here: the form only runs a transition. The admin
    adds the input fields of the transitions the user may run now (their own forms')."""

    transition = forms.ChoiceField(label=_("Run a transition"), required=False)

    class Meta:
        model = Dossier
        fields: list[str] = []


class CriterionResponseInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CriterionResponse
    extra = 0
    fields = ["criterion", "answer", "self_points", "updated_by", "updated_at"]
    readonly_fields = fields


class TransitionLogInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TransitionLog
    extra = 0
    fields = ["at", "transition", "source", "target", "actor", "comment"]
    readonly_fields = fields
    ordering = ["at", "id"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    form = DossierAdminForm
    list_display = ["__str__", "state", "collectivity", "campaign", "category", "submitted_at",
                    "updated_at"]  # fmt: skip
    list_filter = ["state", "campaign__scheme__kind", "campaign"]
    list_select_related = ["collectivity", "campaign", "category"]
    search_fields = ["collectivity__folded_name__typed", "collectivity__siren", "campaign__name"]
    date_hierarchy = "created_at"
    readonly_fields = ["collectivity", "campaign", "category", "referential", "state",
                       "created_by", "created_at", "updated_at", "submitted_at"]  # fmt: skip
    inlines = [CriterionResponseInline, TransitionLogInline]

    def has_add_permission(self, request):
        return False  # a dossier is opened by a referent, which grants its permissions

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or roles.is_manager(request.user)

    def has_change_permission(self, request, obj=None):
        """ "Changing" a dossier here means running a transition: perform_transition checks
        who may run which."""
        return super().has_change_permission(request, obj) or roles.is_manager(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("campaign__scheme", "referential")

    def get_fieldsets(self, request, obj=None):
        inputs = list(self._inputs(request, obj))
        return [
            (None, {"fields": self.readonly_fields}),
            (_("Lifecycle"), {
                "fields": ["transition", *inputs],
                "description": _("Runs through the same checks as the application: "
                                 "permission, guard and the transition's own input."),
            }),
        ]  # fmt: skip

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = ["transition"]  # the inputs are declared below, not model fields
        form = super().get_form(request, obj, change=change, **kwargs)
        form = type(form.__name__, (form,), self._inputs(request, obj))
        form.base_fields["transition"].choices = [("", "—")] + [
            (option.name, option.step.label) for option in self._runnable(request, obj)
        ]
        return form

    def _runnable(self, request, obj) -> list:
        if obj is None:
            return []
        cache = request.__dict__.setdefault("_dossier_options", {})
        if obj.pk not in cache:
            actions = dossier_actions(request.user, obj)
            cache[obj.pk] = [o for o in actions.transitions if o.verdict]
        return cache[obj.pk]

    def _inputs(self, request, obj) -> dict:
        """The fields of the runnable transitions' forms, each optional here: the chosen
        transition's form says what it requires."""
        inputs = {}
        for option in self._runnable(request, obj):
            for name, field in option.step.bind(obj).fields.items():
                if name not in inputs and not field.widget.is_hidden:
                    inputs[name] = copy.deepcopy(field)
                    inputs[name].required = False
        return inputs

    def save_model(self, request, obj, form, change):
        name = form.cleaned_data.get("transition")
        if name and self._run(request, obj, name, data=request.POST):
            self.message_user(request, _("“%s” done.") % lifecycle.label(name), messages.SUCCESS)

    def response_change(self, request, obj):
        if getattr(request, "transition_failed", False):
            return HttpResponseRedirect(request.path)  # back to the form, with the error
        return super().response_change(request, obj)

    def _run(self, request, dossier, name, data=None) -> bool:
        outcome = attempt(
            request,
            lambda: perform_transition(dossier=dossier, name=name, by=request.user, data=data),
            announce=False,
        )
        if not outcome:
            request.transition_failed = True
            self.message_user(request, f"{dossier}: {outcome.error}", messages.ERROR)
        return bool(outcome)

    def get_actions(self, request):
        """The lifecycle table's `bulk` transitions, for managers, on the list's selection."""
        actions = super().get_actions(request)
        if roles.is_manager(request.user):
            for step in lifecycle.STEPS.values():
                if step.bulk:
                    actions[step.name] = (_bulk(step), step.name, step.label)
        return actions


def _bulk(step):
    """An admin action running `step` on each selected dossier, each with its own checks."""

    def run(modeladmin, request, queryset):
        done = sum(modeladmin._run(request, dossier, step.name) for dossier in queryset)
        if done:
            done_on = _("“%(name)s” done on %(n)d dossier(s).") % {"name": step.label, "n": done}
            modeladmin.message_user(request, done_on, messages.SUCCESS)

    return run


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "dossier", "transition", "source", "target", "actor"]
    list_filter = ["transition", "target"]
    list_select_related = ["dossier__collectivity", "dossier__campaign", "actor"]
    search_fields = ["dossier__collectivity__folded_name__typed", "actor__username", "comment",
                     "hash"]  # fmt: skip
    date_hierarchy = "at"


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["dossier", "outcome", "level", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["dossier__collectivity", "dossier__campaign", "level", "decided_by"]
    search_fields = ["dossier__collectivity__folded_name__typed", "reasons"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["certificate_number", "dossier", "level", "status", "valid_from",
                    "valid_until"]  # fmt: skip
    list_filter = ["status", "dossier__campaign__scheme"]
    list_select_related = ["dossier__collectivity", "dossier__campaign", "level"]
    search_fields = ["certificate_number", "verification_code",
                     "dossier__collectivity__folded_name__typed"]  # fmt: skip
    date_hierarchy = "valid_from"


admin.site.site_header = _("labelflow administration")
admin.site.site_title = _("labelflow")
admin.site.index_title = _("labelflow administration")
