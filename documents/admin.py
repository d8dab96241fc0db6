"""Evidence files, read in the back office: uploaded, fingerprinted and stored by
`documents.services`, never edited here."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat

from certification.admin import ReadOnlyAdminMixin

from .models import Document


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "dossier", "criterion", "human_size", "content_type",
                    "scan_status", "is_current", "uploaded_by", "uploaded_at"]  # fmt: skip
    list_filter = ["scan_status", "is_current", "content_type"]
    list_select_related = ["dossier__collectivity", "dossier__campaign", "criterion",
                           "uploaded_by"]  # fmt: skip
    search_fields = ["filename", "sha256", "dossier__collectivity__name", "criterion__code"]
    date_hierarchy = "uploaded_at"

    @admin.display(description="size", ordering="size")
    def human_size(self, document: Document) -> str:
        return filesizeformat(document.size)
