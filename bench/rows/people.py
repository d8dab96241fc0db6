"""What the dossiers hang on: the demo's base, campaigns, collectivities and the people."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test.utils import override_settings

from bench.dataset import USERS
from certification import demo, roles
from certification.models import (
    Campaign,
    Category,
    Collectivity,
    Criterion,
    Level,
    Membership,
    Scheme,
)
from certification.services.permissions import ROLE_PERMISSIONS

from .bulk import Ids, copy
from .shape import (
    COLLECTIVITIES_PER_DOSSIER,
    CONTRIBUTOR_SHARE,
    DOSSIERS_PER_AUDITOR,
    DOSSIERS_PER_COMMITTEE_MEMBER,
    DOSSIERS_PER_MANAGER,
    KINDS,
    PAST_YEARS,
    REGIONS,
    VIEWER_SHARE,
)

User = get_user_model()


# -- Base: groups, schemes, referentials, campaigns -----------------------------------------


@dataclass
class Base:
    now: datetime
    campaigns: dict[tuple[str, int], Campaign]  # (scheme kind, years ago) -> campaign
    categories: dict[int, list[Category]]  # campaign id -> its categories
    criteria: dict[int, list]  # referential id -> its criteria, in order
    levels: dict[int, list[Level]]  # referential id -> its levels, by score
    permissions: dict[str, int]  # "certification.view_dossier" -> Permission id
    groups: dict[str, int]  # auditors, committee, managers -> Group id


def make_base(now: datetime) -> Base:
    # The demo's seed is what a deployment starts from: the staff groups with the managers'
    # permissions, both schemes with a published referential, this year's campaigns. Its few
    # accounts get a fast hash: their password is of no use here.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo.seed()
    campaigns = {}
    for scheme in Scheme.objects.all():
        current = Campaign.objects.select_related("scheme").get(scheme=scheme, year=now.year)
        campaigns[(scheme.kind, 0)] = current
        for years_ago in PAST_YEARS:
            campaigns[(scheme.kind, years_ago)] = past_campaign(current, now.year - years_ago)
    referentials = {c.referential_id for c in campaigns.values()}
    return Base(
        now=now,
        campaigns=campaigns,
        categories={c.pk: list(c.categories.all()) for c in campaigns.values()},
        criteria={r: list(criteria_of(r)) for r in referentials},
        levels={
            r: list(Level.objects.filter(referential_id=r).order_by("min_score"))
            for r in referentials
        },
        permissions=dossier_permissions(),
        groups=dict(
            Group.objects.filter(
                name__in=[roles.AUDITORS_GROUP, roles.COMMITTEE_GROUP, roles.MANAGERS_GROUP]
            ).values_list("name", "pk")
        ),
    )


def past_campaign(current: Campaign, year: int) -> Campaign:
    campaign = Campaign.objects.create(
        scheme=current.scheme, referential_id=current.referential_id,
        name=f"{current.scheme.name} {year}", year=year,
        opens_at=datetime(year, 1, 15, tzinfo=UTC), closes_at=datetime(year, 6, 30, tzinfo=UTC),
    )  # fmt: skip
    Category.objects.bulk_create(
        Category(campaign=campaign, code=c.code, name=c.name, min_population=c.min_population,
                 max_population=c.max_population)
        for c in current.categories.all()
    )  # fmt: skip
    return campaign


def criteria_of(referential_id: int):
    return Criterion.objects.filter(referential_id=referential_id).order_by(
        "chapter__order", "order", "code"
    )


def dossier_permissions() -> dict[str, int]:
    rows = Permission.objects.filter(content_type__app_label="certification",
                                     content_type__model="dossier")  # fmt: skip
    return {f"certification.{p.codename}": p.pk for p in rows}


# -- People: collectivities, their groups and members, staff ---------------------------------


@dataclass
class People:
    collectivities: range  # ids; the first is the named referent's
    population: dict[int, int]
    referent: dict[int, int]  # collectivity id -> its referent's user id
    first_group: int  # collectivity groups: first_group + 3 * index + role index
    auditors: list[int]  # without the named auditor, whose assignments are chosen
    committee: list[int]
    managers: list[int]
    named: dict[str, int] = field(default_factory=dict)  # USERS key -> user id

    def group(self, collectivity: int, role: str) -> int:
        index = collectivity - self.collectivities.start
        return self.first_group + 3 * index + MEMBER_ROLES.index(role)


MEMBER_ROLES = list(ROLE_PERMISSIONS)  # referent, contributor, viewer


def write_people(n_dossiers: int, rng: random.Random, base: Base, ids: Ids) -> People:
    collectivities = ids.take(Collectivity, max(10, round(n_dossiers * COLLECTIVITIES_PER_DOSSIER)))
    people = People(
        collectivities=collectivities,
        population={cid: draw_population(rng) for cid in collectivities},
        referent={},
        first_group=ids.take(Group, 3 * len(collectivities)).start,
        auditors=[],
        committee=[],
        managers=[],
    )
    write_collectivities(people, rng)
    accounts = write_members(people, rng, base, ids) + staff_accounts(n_dossiers, people, base, ids)
    write_accounts(accounts, base.now)
    return people


def write_collectivities(people: People, rng: random.Random) -> None:
    copy(
        Collectivity,
        ["id", "name", "kind", "siren", "insee_code", "population", "department", "region"],
        (collectivity_row(cid, rng, people.population[cid]) for cid in people.collectivities),
    )
    # One group per role, named as `permissions.collectivity_group` names them.
    copy(Group, ["id", "name"], (
        (people.group(cid, role), f"collectivity-{cid}-{role}")
        for cid in people.collectivities for role in MEMBER_ROLES
    ))  # fmt: skip


def write_members(people: People, rng: random.Random, base: Base, ids: Ids) -> list[tuple]:
    """A referent per collectivity, a contributor or a viewer in some, each in the group of
    their role (`permissions.set_member_role`). Returns their accounts."""
    members = [(cid, Membership.Role.REFERENT) for cid in people.collectivities]
    for role, share in ((Membership.Role.CONTRIBUTOR, CONTRIBUTOR_SHARE),
                        (Membership.Role.VIEWER, VIEWER_SHARE)):  # fmt: skip
        members += [(cid, role) for cid in people.collectivities if rng.random() < share]
    named = people.collectivities[0]
    accounts, memberships = [], []
    for uid, (cid, role) in zip(ids.take(User, len(members)), members, strict=True):
        if role == Membership.Role.REFERENT:
            people.referent[cid] = uid
        is_named = cid == named and role == Membership.Role.REFERENT
        accounts.append((uid, USERS["referent"] if is_named else f"member-{uid}", False,
                         people.group(cid, role)))  # fmt: skip
        memberships.append((uid, cid, role, base.now))
    copy(Membership, ["user", "collectivity", "role", "created_at"], memberships)
    people.named["referent"] = people.referent[named]
    return accounts


def staff_accounts(n_dossiers: int, people: People, base: Base, ids: Ids) -> list[tuple]:
    """Auditors, committee members and managers (staff, as in the demo), the named one of
    each first. All act in the history; only the named auditor's assignments are chosen."""
    accounts = []
    for key, group, per, least, pool in (
        ("auditor", roles.AUDITORS_GROUP, DOSSIERS_PER_AUDITOR, 5, people.auditors),
        ("committee", roles.COMMITTEE_GROUP, DOSSIERS_PER_COMMITTEE_MEMBER, 3, people.committee),
        ("manager", roles.MANAGERS_GROUP, DOSSIERS_PER_MANAGER, 2, people.managers),
    ):
        uids = ids.take(User, 1 + max(least, n_dossiers // per))
        people.named[key] = uids[0]
        pool.extend(uids[1:] if key == "auditor" else uids)
        for uid in uids:
            name = USERS[key] if uid == uids[0] else f"{key}-{uid}"
            accounts.append((uid, name, key == "manager", base.groups[group]))
    return accounts


def write_accounts(accounts: list[tuple[int, str, bool, int]], now: datetime) -> None:
    """(id, username, is_staff, group) accounts: "!" marks an unusable password, the
    benchmarks sign in with force_login."""
    copy(
        User,
        ["id", "username", "password", "is_superuser", "is_staff", "is_active", "first_name",
         "last_name", "email", "date_joined"],
        ((uid, name, "!", False, staff, True, "", "", f"{name}@bench.labelflow.test", now)
         for uid, name, staff, _ in accounts),
    )  # fmt: skip
    copy(User.groups.through, ["user", "group"], ((uid, group) for uid, _, _, group in accounts))


def draw_population(rng: random.Random) -> int:
    return int(10 ** rng.uniform(2, 6))  # from a hamlet to a metropolis


def collectivity_row(cid: int, rng: random.Random, population: int) -> tuple:
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    department = f"{cid % 95 + 1:02d}"
    insee = f"{department}{cid % 1000:03d}" if kind == "commune" else ""
    return (cid, f"Collectivité {cid}", kind, siren(cid), insee, population,
            f"Département {department}", REGIONS[cid % len(REGIONS)])  # fmt: skip


def siren(number: int) -> str:
    """A valid SIREN (Luhn) from a number; prefix 3 keeps clear of the demo's."""
    body = f"3{number:07d}"
    for check in "0123456789":
        if luhn(body + check):
            return body + check
    raise AssertionError("a Luhn check digit always exists")


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0
