"""The demo: two schemes, three collectivities and one account per role (password `demo`),
and the trophy campaign's jury at work: the three collectivities' entries shortlisted, jure1
chairing jure2 and jure3, some sheets submitted, one recusal.

The entries are written in their `shortlisted` state with their answers: the demo does not
replay the admissibility and the audit for them (that path needs evidence files scanned by a
worker), so their history starts there, with one signed entry that `verify_history` accepts.
Idempotent: running it again changes nothing that exists."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from juries import services as juries

from . import roles
from .auth import DEMO_PASSWORD
from .models import (
    Campaign,
    Category,
    Chapter,
    Collectivity,
    Criterion,
    CriterionResponse,
    Dossier,
    Level,
    Referential,
    Scheme,
    TransitionLog,
)  # fmt: skip
from .services import permissions

COLLECTIVITIES = [
    # username, name, kind, SIREN, INSEE, population, department, region
    ("niort", "Niort", "commune", "217901917", "79191", 59000, "Deux-Sèvres", "Nouvelle-Aquitaine"),
    ("lille", "Métropole Européenne de Lille", "metropole", "200093201", "", 1180000, "Nord",
     "Hauts-de-France"),
    ("vertou", "Vertou", "commune", "214402158", "44215", 25000, "Loire-Atlantique",
     "Pays de la Loire"),
]  # fmt: skip
STAFF = [
    ("auditeur", roles.AUDITORS_GROUP),
    ("auditeur2", roles.AUDITORS_GROUP),
    ("comite", roles.COMMITTEE_GROUP),
    ("jure1", roles.JURORS_GROUP),
    ("jure2", roles.JURORS_GROUP),
    ("jure3", roles.JURORS_GROUP),
    ("gestionnaire", roles.MANAGERS_GROUP),
]
NAMES = {  # the people's names, shown wherever they appear
    "auditeur": ("Claire", "Martin"), "auditeur2": ("Julien", "Petit"),
    "comite": ("Sophie", "Bernard"), "jure1": ("Hélène", "Garnier"),
    "jure2": ("Marc", "Dubois"), "jure3": ("Nadia", "Roux"),
    "gestionnaire": ("Thomas", "Lefèvre"), "niort": ("Anne", "Moreau"),
    "lille": ("Karim", "Benali"), "vertou": ("Élise", "Fournier"),
}  # fmt: skip
CRITERIA = [
    # chapter, code, title, max points, mandatory, SDG goals
    ("GOV", "Gouvernance et pilotage", [
        ("GOV-1", "Une stratégie de performance publique est adoptée et suivie", 150, True, [16]),
        ("GOV-2", "Les usagers sont associés à l'évaluation des services", 100, False, [11, 16]),
    ]),
    ("SRV", "Qualité de service", [
        ("SRV-1", "Les délais de réponse aux usagers sont mesurés et publiés", 200, True, [16]),
        ("SRV-2", "Les services numériques sont accessibles à tous", 150, False, [9, 10]),
    ]),
    ("ENV", "Transition écologique", [
        ("ENV-1", "L'énergie consommée par le patrimoine baisse chaque année", 200, True, [7, 13]),
        ("ENV-2", "Les achats publics intègrent des clauses environnementales", 200, False, [12]),
    ]),
]  # fmt: skip
# The trophy jury: its chair, then its members; and where each juror stands on each entry:
# a sheet submitted, a draft, or a recusal with its reason.
JURY = ("jure1", ["jure2", "jure3"])
SHEETS = {
    "jure1": {"niort": "submitted", "vertou": "submitted", "lille": "submitted"},
    "jure2": {"niort": "submitted", "lille": "draft"},
    "jure3": {"niort": "submitted", "vertou": "Ancien agent de la commune (2019-2022)."},
}
ANSWER = "Notre démarche sur ce critère, ses résultats mesurés et les preuves jointes au dossier."
LEVELS = [
    ("engage", "Engagé", 1, 300),
    ("confirme", "Confirmé", 301, 500),
    ("avance", "Avancé", 501, 700),
    ("exemplaire", "Exemplaire", 701, 1000),
]


@transaction.atomic
def seed(jury: bool = True) -> None:
    """`jury=False` leaves out last year's trophy edition and its jury at work."""
    User = get_user_model()
    groups = _groups()

    def account(username, **extra):
        first, last = NAMES[username]
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.labelflow.fr",
                                         "first_name": first, "last_name": last, **extra},
        )  # fmt: skip
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    for username, group in STAFF:
        account(username, is_staff=group == roles.MANAGERS_GROUP).groups.add(groups[group])

    for username, name, kind, siren, insee, population, department, region in COLLECTIVITIES:
        collectivity, _ = Collectivity.objects.get_or_create(
            siren=siren,
            defaults={"name": name, "kind": kind, "insee_code": insee, "population": population,
                      "department": department, "region": region},
        )  # fmt: skip
        user = account(username)
        collectivity.memberships.get_or_create(user=user, defaults={"role": "referent"})
        permissions.set_member_role(user, collectivity.pk, "referent")

    label = _scheme("label-performance-publique", "Label Performance publique", "label", "LPP")
    trophy = _scheme("trophees-performance-publique", "Trophées de la performance publique",
                     "trophy", "TPP")  # fmt: skip
    now = timezone.now()
    for scheme in (label, trophy):
        referential = _referential(scheme)
        campaign, created = Campaign.objects.get_or_create(
            scheme=scheme, year=now.year,
            defaults={"name": f"{scheme.name} {now.year}", "referential": referential,
                      "opens_at": now - timedelta(days=30), "closes_at": now + timedelta(days=300)},
        )  # fmt: skip
        if created and scheme.kind == "trophy":
            _categories(campaign)
    if not jury:
        return
    # Last year's edition: closed to entries, its jury at work on the shortlisted ones.
    edition, created = Campaign.objects.get_or_create(
        scheme=trophy, year=now.year - 1,
        defaults={"name": f"{trophy.name} {now.year - 1}", "referential": _referential(trophy),
                  "opens_at": now - timedelta(days=400), "closes_at": now - timedelta(days=200)},
    )  # fmt: skip
    if created:
        _categories(edition)
        _jury_at_work(edition, User.objects.get(username="gestionnaire"))


def _categories(campaign: Campaign) -> None:
    Category.objects.bulk_create([
        Category(campaign=campaign, code="moins-20k", name="Moins de 20 000 habitants",
                 max_population=19999),
        Category(campaign=campaign, code="20k-100k", name="De 20 000 à 100 000 habitants",
                 min_population=20000, max_population=100000),
        Category(campaign=campaign, code="plus-100k", name="Plus de 100 000 habitants",
                 min_population=100001),
    ])  # fmt: skip


def _history_starts_shortlisted(entry: Dossier, manager) -> None:
    """The entry's history: one signed entry, its shortlisting, which the dossier's chain
    head names (`verify_history` checks the chain leads to its state)."""
    log = TransitionLog(
        dossier=entry, transition="shortlist", source=Dossier.State.REPORT_ISSUED,
        target=Dossier.State.SHORTLISTED, actor=manager, at=timezone.now(),
        comment="Démonstration : l'instruction n'est pas rejouée.", previous_hash="",
    )  # fmt: skip
    log.hash = log.compute_hash()
    log.save()
    Dossier.objects.filter(pk=entry.pk).update(history_head=log.hash)


def _jury_at_work(campaign: Campaign, manager) -> None:
    """The three collectivities' entries, shortlisted, and the jury's sheets as SHEETS says."""
    entries = {}
    criteria = list(campaign.referential.criteria.order_by("order", "code"))
    for username, *_rest in COLLECTIVITIES:
        collectivity = Collectivity.objects.get(memberships__user__username=username)
        category = next(c for c in campaign.categories.all() if c.admits(collectivity.population))
        entry, created = Dossier.objects.get_or_create(
            collectivity=collectivity, campaign=campaign,
            defaults={"category": category, "referential_id": campaign.referential_id,
                      "state": Dossier.State.SHORTLISTED, "submitted_at": timezone.now(),
                      "created_by": collectivity.memberships.get().user},
        )  # fmt: skip
        if created:
            permissions.grant_collectivity_access(entry)
            _history_starts_shortlisted(entry, manager)
            CriterionResponse.objects.bulk_create(
                CriterionResponse(dossier=entry, criterion=c, answer=ANSWER, updated_by=manager,
                                  self_points=c.max_points * 3 // 4)
                for c in criteria
            )  # fmt: skip
        entries[username] = entry
    chair, members = JURY
    juries.jury_create(campaign=campaign, category_code=None, name=f"Jury {campaign.name}",
                       members=members, chair=chair, by=manager)  # fmt: skip
    User = get_user_model()
    for juror_number, (juror, sheets) in enumerate(SHEETS.items(), 1):
        juror = User.objects.get(username=juror)
        for entry_number, (referent, sheet) in enumerate(sheets.items(), 1):
            entry = entries[referent]
            if sheet not in ("submitted", "draft"):
                juries.declare(dossier=entry, by=juror, has_conflict=True, reason=sheet)
                continue
            juries.declare(dossier=entry, by=juror, has_conflict=False)
            for criterion in criteria:  # points that differ by juror and entry
                share = 50 + (juror_number * 7 + entry_number * 13 + criterion.order * 5) % 45
                juries.score_save(dossier=entry, by=juror, criterion_code=criterion.code,
                                  points=criterion.max_points * share // 100,
                                  comment="Une démarche solide, à mieux outiller.")  # fmt: skip
            if sheet == "submitted":
                juries.sheet_submit(dossier=entry, by=juror)


def _groups() -> dict[str, Group]:
    groups = {name: Group.objects.get_or_create(name=name)[0]
              for name in (roles.AUDITORS_GROUP, roles.JURORS_GROUP, roles.COMMITTEE_GROUP,
                           roles.MANAGERS_GROUP)}  # fmt: skip
    # Managers run the schemes in the back office: they edit what defines a programme; the
    # workflow's own records stay read-only there.
    managed = ["scheme", "referential", "chapter", "criterion", "level", "campaign", "category",
               "collectivity", "membership"]  # fmt: skip
    permissions = Permission.objects.filter(
        Q(codename="manage_dossier")
        | Q(content_type__model__in=managed, codename__regex=r"^(add|change|view)_"),
        content_type__app_label="certification",
    )
    # And the juries of the trophy campaigns, with their members.
    jury_permissions = Permission.objects.filter(
        content_type__app_label="juries", content_type__model__in=["jury", "jurymember"],
        codename__regex=r"^(add|change|view|delete)_",
    )  # fmt: skip
    # They also unlock an account locked out after failed sign-ins (by deleting its attempts).
    unlock = Permission.objects.filter(
        content_type__app_label="axes", content_type__model="accessattempt",
        codename__in=["view_accessattempt", "delete_accessattempt"],
    )  # fmt: skip
    groups[roles.MANAGERS_GROUP].permissions.add(*permissions, *jury_permissions, *unlock)
    return groups


def _scheme(code, name, kind, prefix) -> Scheme:
    return Scheme.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "certificate_prefix": prefix}
    )[0]


def _referential(scheme: Scheme) -> Referential:
    referential, created = Referential.objects.get_or_create(
        scheme=scheme, version=1, defaults={"title": f"{scheme.name} — référentiel 2026"}
    )
    if not created:
        return referential
    for order, (chapter_code, chapter_title, criteria) in enumerate(CRITERIA):
        chapter = Chapter.objects.create(
            referential=referential, code=chapter_code, title=chapter_title, order=order
        )
        for position, (code, title, points, mandatory, goals) in enumerate(criteria):
            Criterion.objects.create(
                referential=referential, chapter=chapter, code=code, title=title,
                max_points=points, mandatory=mandatory, sdg_goals=goals, order=position,
                surveyed=mandatory,  # the mandatory criteria are checked again in surveillance
            )  # fmt: skip
    for code, name, low, high in LEVELS:
        Level.objects.create(
            referential=referential, code=code, name=name, min_score=low, max_score=high
        )
    referential.published_at = timezone.now()
    referential.save(update_fields=["published_at"])
    return referential
