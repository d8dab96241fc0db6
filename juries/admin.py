"""Juries in the back office: a manager picks the members from the jurors (a list, by name,
with how many juries each already sits on) and marks the chair. Declarations, sheets and
reopenings are read-only here."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import ngettext

from certification import roles
from certification.admin import ReadOnlyAdminMixin

from .models import Declaration, Jury, JuryMember, Reopening, ScoreSheet


class JuryMemberInline(admin.TabularInline):
    model = JuryMember
    extra = 3

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "juror":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        kwargs["queryset"] = (
            get_user_model()
            .objects.filter(groups__name=roles.JURORS_GROUP, is_active=True)
            .annotate(seats=Count("jury_seats"))
            .order_by("last_name", "first_name", "username")
        )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        field.label_from_instance = juror_label
        return field


def juror_label(user) -> str:
    """A juror as offered: their name, and how many juries they already sit on."""
    name = user.get_full_name()
    who = f"{name} ({user.username})" if name else user.username
    return ngettext("%(who)s — on %(count)d jury", "%(who)s — on %(count)d juries",
                    user.seats) % {"who": who, "count": user.seats}  # fmt: skip


@admin.register(Jury)
class JuryAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "category"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "category"]
    inlines = [JuryMemberInline]


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["member", "dossier", "has_conflict", "declared_at"]
    list_filter = ["has_conflict"]
    list_select_related = ["member__juror", "member__jury", "dossier__collectivity"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["member", "dossier", "submitted_at"]
    list_select_related = ["member__juror", "member__jury", "dossier__collectivity"]


@admin.register(Reopening)
class ReopeningAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["sheet", "by", "at"]
    list_select_related = ["sheet__member__juror", "by"]
