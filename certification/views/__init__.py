from .campaigns import campaign_detail, campaign_list
from .collectivities import collectivity_detail, collectivity_list, member_add
from .dashboard import dashboard, dossier_categories, dossier_create
from .dossiers import dossier_detail, dossier_renew, dossier_transition, response_save
from .public import registry, verify, verify_number

__all__ = [
    "campaign_detail",
    "campaign_list",
    "collectivity_detail",
    "collectivity_list",
    "dashboard",
    "dossier_categories",
    "dossier_create",
    "dossier_detail",
    "dossier_renew",
    "dossier_transition",
    "member_add",
    "registry",
    "response_save",
    "verify",
    "verify_number",
]
