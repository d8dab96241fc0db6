"""Who may run a transition: django-fsm-2 calls these as `permission(dossier, user)`.

Object permissions come from django-guardian and are granted by the workflow itself
(membership, assignment): see `certification.services.permissions`. The committee is a rule,
not rows: its members (the `certification-committee` group) see and decide every dossier
referred to it (`Dossier.referred_at`), which one partial index serves.
"""

from django.db import connection

MANAGERS_GROUP = "programme-managers"
COMMITTEE_GROUP = "certification-committee"
AUDITORS_GROUP = "auditors"
JURORS_GROUP = "jurors"

VIEW = "certification.view_dossier"
EDIT = "certification.edit_dossier"
SUBMIT = "certification.submit_dossier"
AUDIT = "certification.audit_dossier"
LEAD_AUDIT = "certification.lead_audit_dossier"
MANAGE = "certification.manage_dossier"


def has(user, perm: str, dossier) -> bool:
    """`user.has_perm(perm, dossier)`, with the user's permissions on this dossier loaded
    once per dossier instance: a page asks a dozen of them."""
    return perm.split(".", 1)[1] in _held(user, dossier)


def _held(user, dossier) -> set[str]:
    """What `user` holds on `dossier` (read once per dossier instance): codenames, and
    `ON_COMMITTEE` when they sit on the committee. The same query says whether a staff
    member is a manager, remembered on the user as `is_manager` remembers it."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cache = dossier.__dict__.setdefault("_object_perms", {})
    if user.pk not in cache:
        cache[user.pk] = held = _object_permissions(user, dossier)
        if getattr(user, "_is_manager", None) is None and user.is_staff:
            user._is_manager = user.is_superuser or MANAGING in held
    return cache[user.pk]


# Every permission check of a request and every transition asks this: written as SQL, it
# costs one round trip and no query building (guardian's checker runs a query per table).
# Its last parts say whether the user sits on the committee, which sees by a rule, and for
# a staff member whether they hold the managers' global permission (`GLOBAL_PERMISSION`).
OBJECT_PERMISSIONS = """
    SELECT p.codename FROM {user_table} u JOIN auth_permission p ON p.id = u.permission_id
     WHERE u.content_object_id = %s AND u.user_id = %s
    UNION
    SELECT p.codename FROM {group_table} g JOIN auth_permission p ON p.id = g.permission_id
      JOIN auth_user_groups ug ON ug.group_id = g.group_id
     WHERE g.content_object_id = %s AND ug.user_id = %s
    UNION
    SELECT %s FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
     WHERE ug.user_id = %s AND g.name = %s
"""
ON_COMMITTEE = ":committee"  # no codename looks like this
MANAGING = ":manager"


def _object_permissions(user, dossier) -> set[str]:
    """The codenames `user` holds on `dossier`, directly or through a group, whether they
    sit on the committee and, for a staff member, whether they manage."""
    sql = OBJECT_PERMISSIONS.format(
        user_table=dossier.dossieruserobjectpermission_set.model._meta.db_table,
        group_table=dossier.dossiergroupobjectpermission_set.model._meta.db_table,
    )
    params = [dossier.pk, user.pk, dossier.pk, user.pk, ON_COMMITTEE, user.pk, COMMITTEE_GROUP]
    if user.is_staff:
        app_label, codename = MANAGE.split(".")
        sql += " UNION SELECT %s FROM (" + GLOBAL_PERMISSION + ") AS manages"
        params += [MANAGING, *[user.pk, codename, app_label] * 2]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {codename for (codename,) in cursor.fetchall()}


def forget_permissions(dossier) -> None:
    """Drop the cached permissions after the workflow granted or revoked some."""
    dossier.__dict__.pop("_object_perms", None)


def is_manager(user) -> bool:
    """Programme managers are staff holding the global `manage_dossier` permission (asked
    in one query, remembered on the user object: Django's backend runs two)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    # getattr, not `user.__dict__`: request.user is a lazy proxy, whose own __dict__ never
    # holds what was remembered on the user behind it.
    known = getattr(user, "_is_manager", None)
    if known is None:
        user._is_manager = known = user.is_superuser or _holds_globally(user, MANAGE)
    return known


def is_committee_member(user) -> bool:
    """Whether `user` sits on the certification committee (asked once per user object)."""
    if not (user.is_authenticated and user.is_active):
        return False
    known = getattr(user, "_is_committee_member", None)
    if known is None:
        user._is_committee_member = known = user.groups.filter(name=COMMITTEE_GROUP).exists()
    return known


def committee_sees(user, dossier) -> bool:
    """The committee sees a dossier once it is referred to it, and from then on."""
    return dossier.referred_at is not None and ON_COMMITTEE in _held(user, dossier)


# Asked on every request of a staff member: one round trip, no query building.
GLOBAL_PERMISSION = """
    SELECT 1 FROM auth_user_user_permissions up JOIN auth_permission p ON p.id = up.permission_id
      JOIN django_content_type ct ON ct.id = p.content_type_id
     WHERE up.user_id = %s AND p.codename = %s AND ct.app_label = %s
    UNION ALL
    SELECT 1 FROM auth_user_groups ug JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
      JOIN auth_permission p ON p.id = gp.permission_id
      JOIN django_content_type ct ON ct.id = p.content_type_id
     WHERE ug.user_id = %s AND p.codename = %s AND ct.app_label = %s
    LIMIT 1
"""


def _holds_globally(user, perm: str) -> bool:
    """Whether `user` holds `perm` itself or through a group."""
    app_label, codename = perm.split(".")
    with connection.cursor() as cursor:
        cursor.execute(GLOBAL_PERMISSION, [user.pk, codename, app_label] * 2)
        return cursor.fetchone() is not None


def is_referent_of(user, collectivity) -> bool:
    """Whether `user` is one of the collectivity's referents (the memberships decide)."""
    memberships = collectivity.memberships
    referent = memberships.model.Role.REFERENT  # the models import this module: no import
    return user.is_authenticated and memberships.filter(user=user, role=referent).exists()


def can_view(user, dossier) -> bool:
    # The dossier's permissions first: their query also answers `is_manager` (one query
    # for a manager's page, not two).
    return has(user, VIEW, dossier) or is_manager(user) or committee_sees(user, dossier)


def referent(dossier, user) -> bool:
    return has(user, SUBMIT, dossier)


def manager(dossier, user) -> bool:
    return is_manager(user)


def assigned_auditor(dossier, user) -> bool:
    return has(user, AUDIT, dossier)


def lead_auditor(dossier, user) -> bool:
    return has(user, LEAD_AUDIT, dossier)


def lead_auditor_or_manager(dossier, user) -> bool:
    return is_manager(user) or lead_auditor(dossier, user)


def impartial_committee_member(dossier, user) -> bool:
    """A committee member may not decide a dossier they audited (asked once per dossier
    instance: award, refuse and revoke all ask it; not at all after `auditors_known`)."""
    if not committee_sees(user, dossier):
        return False
    known = dossier.__dict__.get("_auditors")
    if known is not None:
        return user.pk not in known
    audited = dossier.__dict__.setdefault("_audited_by", {})
    if user.pk not in audited:
        audited[user.pk] = dossier.assignments.filter(auditor=user).exists()
    return not audited[user.pk]


def auditors_known(dossier, assignments) -> None:
    """Tells `impartial_committee_member` who audited `dossier`, from all its assignments
    (ended ones included) when they are read anyway: it then asks the database nothing."""
    dossier.__dict__["_auditors"] = {assignment.auditor_id for assignment in assignments}


def jury_chair(dossier, user) -> bool:
    """The chair of the entry's jury: its category's, or else the campaign's."""
    from juries.services import jury_of  # the juries' models depend on this app's

    if not (user.is_authenticated and user.is_active):
        return False
    chairs = dossier.__dict__.setdefault("_jury_chair", {})
    if user.pk not in chairs:
        jury = jury_of(dossier)
        chairs[user.pk] = (
            jury is not None and jury.members.filter(juror_id=user.pk, is_chair=True).exists()
        )
    return chairs[user.pk]


def committee_member_or_manager(dossier, user) -> bool:
    return is_manager(user) or impartial_committee_member(dossier, user)


def system_only(dossier, user) -> bool:
    return False
