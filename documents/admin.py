"""Evidence files, read in the back office: uploaded, fingerprinted and stored by
`documents.services`, never edited here. A manager sees what the scan found (the signature of
a quarantined file) and can start again a scan that failed or never ran."""

from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification import roles
from certification.admin import ReadOnlyAdminMixin
from certification.errors import DomainError

from . import services
from .models import Document


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "dossier", "criterion", "human_size", "content_type",
                    "scan_status", "scan_detail", "scanned_at", "is_current", "uploaded_by",
                    "uploaded_at"]  # fmt: skip
    list_filter = ["scan_status", "is_current", "content_type"]
    list_select_related = ["dossier__collectivity", "dossier__campaign", "criterion",
                           "uploaded_by"]  # fmt: skip
    search_fields = ["filename", "sha256", "dossier__collectivity__folded_name__typed",
                     "criterion__code", "scan_detail"]  # fmt: skip
    date_hierarchy = "uploaded_at"
    actions = ["scan_again"]

    @admin.display(description=gettext_lazy("size"), ordering="size")
    def human_size(self, document: Document) -> str:
        return filesizeformat(document.size)

    @admin.action(description=gettext_lazy("Scan again"), permissions=["manage"])
    def scan_again(self, request, queryset):
        done = 0
        for document in queryset:
            try:
                services.document_rescan(document=document)
                done += 1
            except DomainError as refusal:
                self.message_user(request, f"{document}: {refusal.detail}", messages.WARNING)
        if done:
            self.message_user(request, _("%d file(s) sent to the scan.") % done, messages.SUCCESS)

    def has_manage_permission(self, request):
        return roles.is_manager(request.user)
