"""Audit records, read in the back office. They are written by the audit services, which
also grant and revoke the auditors' object permissions: nothing is edited here."""

from django.contrib import admin

from certification.admin import ReadOnlyAdminMixin

from .models import (
    Assessment,
    Assignment,
    AuditReport,
    CorrectiveAction,
    Finding,
    InformationRequest,
)

DOSSIER = ["dossier__collectivity", "dossier__campaign"]
SEARCH_DOSSIER = ["dossier__collectivity__folded_name__typed", "dossier__campaign__name"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["dossier", "auditor", "role", "has_conflict", "declared_at", "assigned_at"]
    list_filter = ["role", "has_conflict"]
    list_select_related = [*DOSSIER, "auditor"]
    search_fields = [*SEARCH_DOSSIER, "auditor__username", "auditor__last_name"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["dossier", "criterion", "rating", "points", "assessor", "updated_at"]
    list_filter = ["rating"]
    list_select_related = [*DOSSIER, "criterion", "assessor"]
    search_fields = [*SEARCH_DOSSIER, "criterion__code", "comment"]


class CorrectiveActionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CorrectiveAction
    extra = 0
    fields = ["plan", "submitted_by", "submitted_at"]
    readonly_fields = fields


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["dossier", "criterion", "severity", "status", "raised_by", "raised_at"]
    list_filter = ["severity", "status"]
    list_select_related = [*DOSSIER, "criterion", "raised_by"]
    search_fields = [*SEARCH_DOSSIER, "criterion__code", "description"]
    inlines = [CorrectiveActionInline]


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["dossier", "asked_by", "asked_at", "due_date", "answered_by", "answered_at"]
    list_filter = [("answered_at", admin.EmptyFieldListFilter), "due_date"]
    list_select_related = [*DOSSIER, "asked_by", "answered_by"]
    search_fields = [*SEARCH_DOSSIER, "question", "answer"]


@admin.register(AuditReport)
class AuditReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["dossier", "recommendation", "level", "score", "issued_by", "issued_at"]
    list_filter = ["recommendation"]
    list_select_related = [*DOSSIER, "level", "issued_by"]
    search_fields = [*SEARCH_DOSSIER, "summary"]
