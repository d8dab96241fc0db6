from .campaigns import campaign_detail, campaign_list
from .collectivities import collectivity_detail, collectivity_list, member_add
from .dashboard import assignment_declare, dashboard, dossier_create
from .dossiers import (
    assessment_record,
    assignment_create,
    assignment_end,
    document_download,
    document_upload,
    dossier_detail,
    dossier_transition,
    response_save,
)
from .public import registry, verify

__all__ = [
    "assessment_record",
    "assignment_create",
    "assignment_end",
    "assignment_declare",
    "campaign_detail",
    "campaign_list",
    "collectivity_detail",
    "collectivity_list",
    "dashboard",
    "document_download",
    "document_upload",
    "dossier_create",
    "dossier_detail",
    "dossier_transition",
    "member_add",
    "registry",
    "response_save",
    "verify",
]
