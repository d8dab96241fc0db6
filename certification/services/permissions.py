"""Object permissions, granted and revoked by the workflow (membership, assignment) and
nowhere else. The committee needs none: `roles.committee_sees`."""

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, remove_perm

from .. import roles
from ..models import Membership

ROLE_PERMISSIONS = {
    Membership.Role.REFERENT: [roles.VIEW, roles.EDIT, roles.SUBMIT],
    Membership.Role.CONTRIBUTOR: [roles.VIEW, roles.EDIT],
    Membership.Role.VIEWER: [roles.VIEW],
}
AUDITOR_PERMISSIONS = {
    "lead": [roles.VIEW, roles.AUDIT, roles.LEAD_AUDIT],
    "co": [roles.VIEW, roles.AUDIT],
}


def collectivity_group(collectivity_id: int, role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=f"collectivity-{collectivity_id}-{role}")
    return group


def grant_collectivity_access(dossier) -> None:
    """The collectivity's members reach a dossier through one group per role."""
    for role, perms in ROLE_PERMISSIONS.items():
        group = collectivity_group(dossier.collectivity_id, role)
        for perm in perms:
            assign_perm(perm, group, dossier)


def set_member_role(user, collectivity_id: int, role: str) -> None:
    for other in ROLE_PERMISSIONS:
        group = collectivity_group(collectivity_id, other)
        if other == role:
            user.groups.add(group)
        else:
            user.groups.remove(group)


def grant_auditor_access(assignment) -> None:
    for perm in AUDITOR_PERMISSIONS[assignment.role]:
        assign_perm(perm, assignment.auditor, assignment.dossier)


def revoke_auditor_access(assignment) -> None:
    for perm in AUDITOR_PERMISSIONS[assignment.role]:
        remove_perm(perm, assignment.auditor, assignment.dossier)
