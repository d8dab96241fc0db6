"""Reads, with the access rules applied: one helper per object type, used by every view."""

import hashlib
import json

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import roles
from .errors import InvalidInput, NotVisible
from .models import (
    Award,
    Campaign,
    Chapter,
    Collectivity,
    Criterion,
    CriterionResponse,
    Dossier,
    DossierGroupObjectPermission,
    DossierUserObjectPermission,
    Level,
    Membership,
    Scheme,
    TransitionLog,
)

MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField)


def is_id(pk) -> bool:
    """Whether a URL's id can name a row: anything else is simply not found (404, not 500)."""
    text = str(pk)
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


# Up to this many dossiers, a user's lists filter on their ids, read first.
LISTED_BY_ID_UP_TO = 500
PROBE = 2 * (LISTED_BY_ID_UP_TO + 1)  # ids read at most: a dossier may be granted both ways
COMMITTEE_MARK = 0  # no dossier has this id


def dossiers_visible_to(user, *, referred: bool = True) -> QuerySet[Dossier]:
    """The dossiers `user` may see: those their permission rows name and, for a committee
    member, every dossier referred to the committee (`roles.committee_sees`), unless
    `referred` is off (what happens before a referral need not look among them).

    The ids are read first, from the user's rows of the two permission tables (at most 1,002
    rows): when they are few (a referent's, an auditor's), the list filters on them as
    literals, so PostgreSQL knows how few rows it reads and takes them by primary key; a user
    who holds more is filtered by the same rows as a subquery. The committee's dossiers come
    from the partial index on referred dossiers, newest first. The rows come with what a
    list shows (not the certificate a renewal renews: one join more tripled the time
    PostgreSQL took to plan a page)."""
    dossiers = Dossier.objects.select_related("collectivity", "campaign__scheme", "category")
    if roles.is_manager(user):
        return dossiers
    if not user.is_authenticated:
        return dossiers.none()
    granted = granted_dossier_ids(user)
    visible = Q(pk__in=granted)
    if referred and roles.is_committee_member(user):
        by_referral = Q(referred_at__isnull=False)
        visible = by_referral if granted == [] else by_referral | visible
    return dossiers.filter(visible)


def granted_dossier_ids(user) -> list[int] | QuerySet:
    """The ids of the dossiers `user`'s permission rows let them view (the committee's rule
    aside): a sorted list when they are few, else the subquery that reads them. Filtering on
    the list, PostgreSQL plans in a fraction of the time it takes with a subquery."""
    found = _visible_ids(user, limit=PROBE)
    ids = set(found) - {COMMITTEE_MARK}
    if len(found) < PROBE and len(ids) <= LISTED_BY_ID_UP_TO:
        user._is_committee_member = COMMITTEE_MARK in found
        return sorted(ids)
    return _granted(user)


# The ids of the dossiers a user may view, from their rows of the two permission tables
# (PostgreSQL reads them by index; guardian's `id IN (…) OR id IN (…)` made it scan the whole
# dossier table), and the COMMITTEE_MARK when they sit on the committee: the same round trip
# says both. Every list of every page asks it: as SQL it costs no query building, which cost
# more than running it.
VISIBLE_IDS = """
    SELECT g.content_object_id FROM {group_table} g
      JOIN auth_user_groups ug ON ug.group_id = g.group_id
     WHERE ug.user_id = %s AND g.permission_id = ({view})
    UNION ALL
    SELECT u.content_object_id FROM {user_table} u
     WHERE u.user_id = %s AND u.permission_id = ({view})
    UNION ALL
    SELECT %s FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
     WHERE ug.user_id = %s AND g.name = %s
    LIMIT %s
"""
VIEW_PERMISSION = """
    SELECT p.id FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
     WHERE ct.app_label = %s AND p.codename = %s
"""


def _visible_ids(user, limit: int) -> list[int]:
    sql = VISIBLE_IDS.format(
        group_table=DossierGroupObjectPermission._meta.db_table,
        user_table=DossierUserObjectPermission._meta.db_table, view=VIEW_PERMISSION,
    )  # fmt: skip
    view = roles.VIEW.split(".")
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *view, user.pk, *view, COMMITTEE_MARK, user.pk,
                             roles.COMMITTEE_GROUP, limit])  # fmt: skip
        return [pk for (pk,) in cursor.fetchall()]


def _granted(user) -> QuerySet:
    """The same ids as a subquery, for a user who holds too many to list them."""
    app_label, codename = roles.VIEW.split(".")
    view = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    perm = {"permission_id": Subquery(view.values("id")[:1])}
    by_group = DossierGroupObjectPermission.objects.filter(group__user=user, **perm)
    by_user = DossierUserObjectPermission.objects.filter(user=user, **perm)
    return by_group.values("content_object_id").union(by_user.values("content_object_id"))


# A dossier's outcome: its report, decision and certificate (`dossier_record`), and who
# issued and who decided them (each one's level is lent or joined there).
OUTCOME = ["report", "decision", "certificate"]
RECORD = ["report__issued_by", "decision__decided_by", "certificate"]


def get_dossier_for(user, pk) -> Dossier:
    """The dossier if `user` may see it (404 otherwise, whether it exists or not): what they
    may do on it is the policy's. Its record is read apart, by `dossier_record`: one query
    of fourteen tables cost more to plan and build than two of five and eight; the
    certificate a renewal renews is read when shown (a join that every other dossier would
    pay to plan)."""
    dossier = (
        Dossier.objects.select_related("collectivity", "campaign__scheme", "category")
        .filter(pk=pk)
        .order_by()  # one row: no sort by the lists' order
        .first()
        if is_id(pk)
        else None
    )
    if dossier is None or not roles.can_view(user, dossier):
        raise NotVisible(_("No such dossier."))
    return dossier


def dossier_history(dossier: Dossier) -> QuerySet[TransitionLog]:
    return dossier.history.select_related("actor").order_by("at", "id")


def collectivities_visible_to(user) -> QuerySet[Collectivity]:
    if roles.is_manager(user):
        return Collectivity.objects.all()
    return Collectivity.objects.filter(memberships__user=user).distinct()


def get_collectivity_for(user, pk) -> Collectivity:
    collectivity = collectivities_visible_to(user).filter(pk=pk).first() if is_id(pk) else None
    if collectivity is None:
        raise NotVisible(_("No such collectivity."))
    return collectivity


def collectivity_members(collectivity: Collectivity) -> QuerySet[Membership]:
    return collectivity.memberships.select_related("user").order_by("user__username")


def referent_collectivities(user) -> list[Collectivity]:
    """The collectivities `user` may open dossiers for."""
    return list(
        Collectivity.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.REFERENT
        ).order_by("name")
    )


def campaigns(status: str = "") -> QuerySet[Campaign]:
    """Campaigns, newest first; `status` (open, upcoming, closed) filters them."""
    found = Campaign.objects.select_related("scheme").order_by("-opens_at", "id")
    if not status:
        return found
    if status not in Campaign.STATUSES:
        raise InvalidInput(_("The status must be one of: %s.") % ", ".join(Campaign.STATUSES))
    return found.with_status(status)


def open_campaigns() -> list[Campaign]:
    """The campaigns a dossier can be opened for now, with their categories."""
    return list(Campaign.objects.open().select_related("scheme").prefetch_related("categories"))


def collectivity_dossiers(user, collectivity: Collectivity, limit: int) -> list[Dossier]:
    """The collectivity's dossiers `user` may see, newest first."""
    return list(
        dossiers_visible_to(user)
        .filter(collectivity=collectivity)
        .order_by("-created_at", "-id")[:limit]
    )


def get_campaign(pk, *, referential: bool = True) -> Campaign:
    """A campaign with its categories and, unless `referential` is off, its referential's
    chapters, criteria and levels."""
    related = ["referential__chapters__criteria", "referential__levels"] if referential else []
    campaign = (
        Campaign.objects.select_related("scheme", "referential")
        .prefetch_related("categories", *related)
        .filter(pk=pk)
        .order_by()  # one row: no sort by the lists' order
        .first()
        if is_id(pk)
        else None
    )
    if campaign is None:
        raise NotVisible(_("No such campaign."))
    return campaign


def criteria_count(referential):
    """A subquery: the number of criteria of the referential `referential` (an `OuterRef`)
    names, for lists that show how far each dossier has got."""
    return (
        Criterion.objects.filter(referential=referential)
        .order_by()
        .values("referential")
        .annotate(n=Count("id"))
        .values("n")
    )


def registry(search: str = "", scheme: str = "", level: str = "", department: str = "",
             region: str = "") -> QuerySet[Award]:  # fmt: skip
    """The public registry of certificates: the active and suspended ones (the index
    `registry_order` serves this filter and order), found by the collectivity's name and
    narrowed by scheme (code), level (code), department and region, the names as people
    type them (`folding`: case, accents, hyphens and apostrophes aside). Revoked and expired
    certificates are not listed: the verification page finds them by number. The page and
    the API both read it (`RegistryFilterForm` validates their parameters), a page at a
    time, the names each line shows read for the page's lines only (`registry_lines`)."""
    awards = Award.objects.filter(status__in=["active", "suspended"])
    if search:
        awards = awards.filter(dossier__collectivity__folded_name__typed=search)
    if scheme:
        awards = awards.filter(dossier__campaign__scheme__code=scheme)
    if level:
        awards = awards.filter(level__code=level)
    if department:
        awards = awards.filter(dossier__collectivity__folded_department__typed_exact=department)
    if region:
        awards = awards.filter(dossier__collectivity__folded_region__typed_exact=region)
    return awards.order_by("-valid_from", "-id")


REGISTRY_VERSION = "registry-version"
# The longest a kept registry list may be behind a change the registry is not told about
# (e.g. a collectivity renamed in the back office).
REGISTRY_KEPT = 60  # seconds
REGISTRY_SCHEMES = "registry-schemes"


def registry_schemes() -> list[tuple[str, str]]:
    """The schemes a registry search can name, (code, name) by name: kept as long as a
    registry list is (a new scheme has no certificate yet)."""
    return cache.get_or_set(
        REGISTRY_SCHEMES,
        lambda: list(Scheme.objects.order_by("name").values_list("code", "name")),
        REGISTRY_KEPT,
    )


def registry_version() -> int:
    """Which version of the registry's lists is current (see `views.public.registry`)."""
    return cache.get(REGISTRY_VERSION, 0)


def registry_count_kept(filters: dict) -> tuple[str, int]:
    """Where and how long the number of certificates a registry search finds is kept
    (`paging.Paginator`'s `kept`): the same for every visitor until a certificate is issued
    or changes status, for the page and the API alike."""
    search = hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()
    return f"registry-count:{registry_version()}:{search}", REGISTRY_KEPT


def registry_changed() -> None:
    """A certificate was issued or changed status: the registry's kept lists are stale."""
    try:
        cache.incr(REGISTRY_VERSION)
    except ValueError:  # not there yet (or evicted): any new number will do
        cache.set(REGISTRY_VERSION, 1, None)


def registry_entry(number: str) -> Award:
    """A certificate of any status, by its number, as the registry shows it."""
    award = registry_lines(Award.objects.filter(certificate_number=number)).first()
    if award is None:
        raise NotVisible(_("This certificate is not in our registry."))
    return award


# What the registry shows of a certificate, besides the names `registry_lines` reads.
REGISTRY_FIELDS = ["certificate_number", "verification_code", "valid_from", "valid_until",
                   "status"]  # fmt: skip


# The names a registry line shows, each read by key for the line's certificate. As joins,
# PostgreSQL spent 0.7 ms planning the six tables of a page of 25 lines it then read in
# 0.1 ms; as subqueries it plans them in 0.15 ms. Written as SQL: built through the ORM,
# the subqueries cost more to build than to run.
REGISTRY_NAMES = {
    "collectivity_name": """SELECT c.name FROM {dossiers} d JOIN {collectivities} c
                             ON c.id = d.collectivity_id WHERE d.id = {awards}.dossier_id""",
    "scheme_name": """SELECT s.name FROM {dossiers} d JOIN {campaigns} ca ON ca.id = d.campaign_id
                       JOIN {schemes} s ON s.id = ca.scheme_id WHERE d.id = {awards}.dossier_id""",
    "level_name": "SELECT l.name FROM {levels} l WHERE l.id = {awards}.level_id",
}


def registry_lines(awards: QuerySet[Award]) -> QuerySet[Award]:
    """`awards` with the names the registry shows (`collectivity_name`, `scheme_name`,
    `level_name`, see `REGISTRY_NAMES`). For a page's lines only (`paging.Paginator`'s
    `lines`): the count and the keys read no names."""
    tables = {"awards": Award._meta.db_table, "dossiers": Dossier._meta.db_table,
              "collectivities": Collectivity._meta.db_table,
              "campaigns": Campaign._meta.db_table, "schemes": Scheme._meta.db_table,
              "levels": Level._meta.db_table}  # fmt: skip
    names = {name: RawSQL(sql.format(**tables), ()) for name, sql in REGISTRY_NAMES.items()}
    return awards.annotate(**names).only(*REGISTRY_FIELDS)


def get_certificate(*, number: str | None = None, code: str | None = None) -> Award:
    """A certificate of any status, by its number or its verification code (public)."""
    lookup = {"verification_code": code} if number is None else {"certificate_number": number}
    awards = Award.objects.select_related(
        "dossier__collectivity", "dossier__campaign__scheme", "level"
    )
    award = awards.filter(**lookup).first()
    if award is None:
        raise NotVisible(_("This certificate is not in our registry."))
    return award


CRITERION_ROW = ("id", "code", "title", "guidance", "mandatory", "max_points")


def criterion_row(values: dict) -> dict:
    """A criterion as the pages and the API show it: its `CRITERION_ROW` fields, this
    dossier's `answer` and `self_points`, its count of `clean_documents`."""
    answer = values["answer"]
    return {**{name: values[name] for name in CRITERION_ROW}, "answer": answer or "",
            "self_points": values["self_points"], "answered": bool(answer),
            "documents": values["clean_documents"] or 0}  # fmt: skip


# Read for every API detail: written as SQL, it takes no building (the ORM's version, with
# three correlated subqueries, spent 0.85 ms building a query that runs in 0.1 ms). Each
# criterion reads this dossier's rows by index, whatever the other dossiers hold.
DOSSIER_CRITERIA = """
    SELECT c.id, c.code, c.title, c.guidance, c.mandatory, c.max_points, r.answer,
           r.self_points,
           (SELECT count(*) FROM {documents} d WHERE d.dossier_id = %s
               AND d.criterion_id = c.id AND d.is_current AND d.scan_status = %s)
      FROM {criteria} c JOIN {chapters} ch ON ch.id = c.chapter_id
      LEFT JOIN {responses} r ON r.criterion_id = c.id AND r.dossier_id = %s
     WHERE c.referential_id = %s
     ORDER BY ch."order", c."order", c.code
"""


def dossier_criteria(dossier: Dossier) -> list[dict]:
    """Each criterion with this dossier's answer and its count of current, clean documents
    (`criterion_row`), in the referential's order: one query."""
    from documents.models import Document  # documents' models depend on this app's

    sql = DOSSIER_CRITERIA.format(
        documents=Document._meta.db_table, criteria=Criterion._meta.db_table,
        chapters=Chapter._meta.db_table, responses=CriterionResponse._meta.db_table,
    )  # fmt: skip
    names = [*CRITERION_ROW, "answer", "self_points", "clean_documents"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [dossier.pk, Document.ScanStatus.CLEAN, dossier.pk,
                             dossier.referential_id])  # fmt: skip
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["mandatory"] = bool(row["mandatory"])  # SQLite's raw rows say 0 or 1
    return [criterion_row(row) for row in rows]


def dossier_record(dossier: Dossier, levels=None) -> dict:
    """The report, decision and certificate (in one query, kept on the dossier, which also
    says whether the dossier has findings and information requests), then the findings and
    the requests when it has some (one query each, and one for the findings' corrective
    actions and one for the criteria the requests name): building the two queries cost
    0.9 ms for a dossier with neither, as most are.

    `levels`, when given, returns the referential's levels, which a caller that reads them
    anyway (the page, for the score) lends: the outcome's levels are taken from them rather
    than joined (the three joins took the query from 3.0 to 4.8 ms on the benchmark's set)."""
    from audits.models import Finding, InformationRequest

    known = dossier._state.fields_cache
    held = {"findings": True, "requests": True}  # unless the outcome's read says otherwise
    if not all(name in known for name in OUTCOME):  # read once, kept on the dossier
        joined = RECORD if levels else [*RECORD, *(f"{name}__level" for name in OUTCOME)]
        outcome = (
            Dossier.objects.select_related(*joined)
            .annotate(
                findings_held=Exists(Finding.objects.filter(dossier=OuterRef("pk"))),
                requests_held=Exists(InformationRequest.objects.filter(dossier=OuterRef("pk"))),
            )
            .get(pk=dossier.pk)
        )
        known.update({name: getattr(outcome, name, None) for name in OUTCOME})
        held = {"findings": outcome.findings_held, "requests": outcome.requests_held}
        if levels:
            _lend_levels([known[name] for name in OUTCOME], levels)
    report = getattr(dossier, "report", None)
    return {
        "report": report,
        # Every issue of the report, as issued (one query, only once there is a report).
        "issued_reports": list(dossier.issued_reports.order_by("-version")) if report else [],
        "decision": getattr(dossier, "decision", None),
        "certificate": getattr(dossier, "certificate", None),
        "findings": _findings(dossier) if held["findings"] else [],
        "information_requests": _requests(dossier) if held["requests"] else [],
    }


def _findings(dossier: Dossier) -> list:
    from audits.models import CorrectiveAction

    actions = CorrectiveAction.objects.select_related("submitted_by", "reviewed_by")
    return list(
        dossier.findings.select_related("criterion")
        .prefetch_related(Prefetch("corrective_actions", actions.order_by("submitted_at", "id")))
        .order_by("id")
    )


def _requests(dossier: Dossier) -> list:
    from audits.models import InformationRequest

    return list(
        InformationRequest.objects.filter(dossier=dossier)
        .select_related("asked_by", "answered_by")
        .prefetch_related(Prefetch("criteria", Criterion.objects.order_by("order", "code")))
        .order_by("id")
    )


def _lend_levels(parts: list, levels) -> None:
    """Give each part of an outcome its level from `levels()` (one of another referential
    stays to be read, if shown)."""
    needing = [part for part in parts if part is not None and part.level_id is not None]
    if needing:
        by_id = {level.pk: level for level in levels()}
        for part in needing:
            if part.level_id in by_id:
                part.level = by_id[part.level_id]


# -- The dashboards --------------------------------------------------------------------


def dossier_list_details(dossiers) -> dict[int, dict]:
    """For the dossiers of a dashboard's page: the criteria answered out of the referential's,
    and the due date of the earliest open information request. One query over the page's ids
    (three correlated subqueries), whatever the size of the tables."""
    from audits.models import InformationRequest

    ids = {d.pk for d in dossiers}
    if not ids:
        return {}
    answered = (
        CriterionResponse.objects.filter(dossier=OuterRef("pk"))
        .exclude(answer="")
        .order_by()
        .values("dossier")
        .annotate(n=Count("id"))
        .values("n")
    )
    criteria = criteria_count(OuterRef("referential"))
    due = (
        InformationRequest.objects.filter(dossier=OuterRef("pk"), answered_at__isnull=True)
        .order_by("due_date")
        .values("due_date")[:1]
    )
    rows = (
        Dossier.objects.filter(pk__in=ids)
        .order_by()
        .values("pk")
        .annotate(answered=Subquery(answered), criteria=Subquery(criteria), due=Subquery(due))
    )
    return {
        row["pk"]: {"answered": row["answered"] or 0, "criteria": row["criteria"] or 0,
                    "due": row["due"]}
        for row in rows
    }  # fmt: skip


def dossiers_awaiting(visible: QuerySet[Dossier], states, limit: int) -> list[Dossier]:
    """Those of the `visible` dossiers (`dossiers_visible_to`, read once for the page) in one
    of `states`, the oldest change first (what waits the longest leads)."""
    return list(visible.filter(state__in=states).order_by("updated_at", "id")[:limit])


def dossiers_to_decide(user, limit: int) -> list[Dossier]:
    """The dossiers in committee review that `user`, a committee member, may decide: those
    they did not audit, the longest waiting since their referral first (the partial index
    `committee_queue` serves this order)."""
    if not roles.is_committee_member(user):
        return []
    return list(
        Dossier.objects.select_related("collectivity", "campaign__scheme", "category")
        .filter(state=Dossier.State.COMMITTEE_REVIEW, referred_at__isnull=False)
        .exclude(assignments__auditor=user)
        .order_by("referred_at", "id")[:limit]
    )


# The manager's work queues: each a filter of the dossier list.
QUEUES = {
    "admissibility": _lazy("To check for admissibility"),
    "declaration": _lazy("Awaiting an auditor's declaration"),
    "referral": _lazy("To refer to the committee"),
}


def queue(name: str) -> QuerySet[Dossier]:
    """The dossiers of one of the manager's queues (`QUEUES`)."""
    from audits.models import Assignment, Finding

    if name == "admissibility":
        return Dossier.objects.filter(state=Dossier.State.SUBMITTED)
    if name == "declaration":
        undeclared = Assignment.objects.filter(declared_at__isnull=True, ended_at__isnull=True)
        return Dossier.objects.filter(pk__in=undeclared.values("dossier_id"))
    if name == "referral":
        majors = Finding.objects.filter(dossier=OuterRef("pk"), severity="major", status="open")
        return Dossier.objects.filter(
            state=Dossier.State.REPORT_ISSUED, campaign__scheme__kind="label"
        ).exclude(Exists(majors))
    raise InvalidInput(_("Unknown queue “%s”.") % name)


def manager_dossiers(user, *, state: str = "", campaign: int | None = None,
                     category: int | None = None, search: str = "",
                     queue_name: str = "") -> QuerySet[Dossier]:  # fmt: skip
    """Every dossier, for a manager, narrowed by state, campaign, category, the collectivity's
    name and one of the queues; newest first (the index `dossier_newest_first`)."""
    dossiers = dossiers_visible_to(user)
    if state:
        dossiers = dossiers.filter(state=state)
    if campaign:
        dossiers = dossiers.filter(campaign_id=campaign)
    if category:
        dossiers = dossiers.filter(category_id=category)
    if search:
        dossiers = dossiers.filter(collectivity__folded_name__typed=search)
    if queue_name:
        dossiers = dossiers.filter(pk__in=queue(queue_name).values("pk"))
    return dossiers.order_by("-created_at", "-id")
