"""Who may run a transition: django-fsm-2 calls these as `permission(dossier, user)`.

Object permissions come from django-guardian and are granted by the workflow itself
(membership, assignment, transition): see `certification.services.permissions`.
"""

MANAGERS_GROUP = "programme-managers"
COMMITTEE_GROUP = "certification-committee"

VIEW = "certification.view_dossier"
EDIT = "certification.edit_dossier"
SUBMIT = "certification.submit_dossier"
AUDIT = "certification.audit_dossier"
LEAD_AUDIT = "certification.lead_audit_dossier"
DECIDE = "certification.decide_dossier"
MANAGE = "certification.manage_dossier"


def is_manager(user) -> bool:
    """Programme managers are staff holding the global `manage_dossier` permission."""
    return bool(user.is_authenticated and user.is_staff and user.has_perm(MANAGE))


def is_committee_member(user) -> bool:
    return user.is_authenticated and user.groups.filter(name=COMMITTEE_GROUP).exists()


def can_view(user, dossier) -> bool:
    return is_manager(user) or user.has_perm(VIEW, dossier)


def referent(dossier, user) -> bool:
    return user.has_perm(SUBMIT, dossier)


def manager(dossier, user) -> bool:
    return is_manager(user)


def assigned_auditor(dossier, user) -> bool:
    return user.has_perm(AUDIT, dossier)


def lead_auditor(dossier, user) -> bool:
    return user.has_perm(LEAD_AUDIT, dossier)


def lead_auditor_or_manager(dossier, user) -> bool:
    return is_manager(user) or lead_auditor(dossier, user)


def impartial_committee_member(dossier, user) -> bool:
    """A committee member may not decide a dossier they audited."""
    return user.has_perm(DECIDE, dossier) and not dossier.assignments.filter(auditor=user).exists()


def committee_member_or_manager(dossier, user) -> bool:
    return is_manager(user) or impartial_committee_member(dossier, user)


def system_only(dossier, user) -> bool:
    return False
