from .award import Award, Decision
from .campaign import Campaign, Category
from .collectivity import Collectivity, Membership
from .dossier import (
    CriterionResponse,
    Dossier,
    DossierGroupObjectPermission,
    DossierUserObjectPermission,
)
from .history import TransitionLog
from .scheme import Chapter, Criterion, Level, Referential, Scheme

__all__ = [
    "Award",
    "Campaign",
    "Category",
    "Chapter",
    "Collectivity",
    "Criterion",
    "CriterionResponse",
    "Decision",
    "Dossier",
    "DossierGroupObjectPermission",
    "DossierUserObjectPermission",
    "Level",
    "Membership",
    "Referential",
    "Scheme",
    "TransitionLog",
]
