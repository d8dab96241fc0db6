"""Factories; `DossierFactory(state=...)` builds a dossier at any stage of its lifecycle."""

import dataclasses
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from audits import services as audit_services
from certification import models, roles
from certification.services import permissions
from tests import walk
from tests.walk import Cast

CAST_ROLES = [field.name for field in dataclasses.fields(Cast)]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


def in_group(user, name: str):
    user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def manager(**kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    in_group(user, roles.MANAGERS_GROUP).groups.get(name=roles.MANAGERS_GROUP).permissions.add(
        Permission.objects.get(codename="manage_dossier")
    )
    return user


def auditor(**kwargs):
    return in_group(UserFactory(**kwargs), roles.AUDITORS_GROUP)


def juror(username=None, **kwargs):
    extra = {"username": username} if username else {}
    return in_group(UserFactory(**extra, **kwargs), roles.JURORS_GROUP)


def committee_member(**kwargs):
    return in_group(UserFactory(**kwargs), roles.COMMITTEE_GROUP)


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Scheme

    code = factory.Sequence(lambda n: f"scheme-{n}")
    name = factory.Sequence(lambda n: f"Scheme {n}")
    kind = "label"


class ReferentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Referential
        skip_postgeneration_save = True  # the hook saves what it changes

    scheme = factory.SubFactory(SchemeFactory)
    version = 1
    title = "Referential"

    @factory.post_generation
    def criteria(referential, create, extracted, **kwargs):
        """Two criteria (one mandatory) and one level, then published."""
        chapter = models.Chapter.objects.create(referential=referential, code="A", title="A")
        for code, mandatory in extracted or [("A-1", True), ("A-2", False)]:
            models.Criterion.objects.create(
                referential=referential, chapter=chapter, code=code, title=code,
                max_points=100, mandatory=mandatory,
            )  # fmt: skip
        models.Level.objects.create(
            referential=referential, code="gold", name="Gold", min_score=0, max_score=1000
        )
        referential.published_at = timezone.now()
        referential.save(update_fields=["published_at"])


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Campaign

    referential = factory.SubFactory(ReferentialFactory)
    scheme = factory.SelfAttribute("referential.scheme")
    name = factory.Sequence(lambda n: f"Campaign {n}")
    year = 2026
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )


SIRENS = ["217901917", "200093201", "214402158", "215903501"]


def valid_siren(n: int) -> str:
    """The n-th 9-digit number with a valid Luhn checksum."""
    from certification.validators import luhn_is_valid

    base = 100000000 + n * 10
    return next(str(v) for v in range(base, base + 10) if luhn_is_valid(str(v)))


class CollectivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Collectivity

    name = factory.Sequence(lambda n: f"Commune {n}")
    kind = "commune"
    siren = factory.Sequence(valid_siren)
    population = 12000


def member(collectivity, role="referent", **kwargs):
    user = UserFactory(**kwargs)
    models.Membership.objects.create(user=user, collectivity=collectivity, role=role)
    permissions.set_member_role(user, collectivity.pk, role)
    return user


def cast(collectivity, **given) -> Cast:
    """Who acts on a dossier of `collectivity`: the `given` people, factory-made others."""
    return Cast(
        referent=given.get("referent") or member(collectivity, "referent"),
        auditor=given.get("auditor") or auditor(),
        committee=given.get("committee") or committee_member(),
        manager=given.get("manager") or manager(),
    )


def someone(dossier, role: str):
    """A person in `role` toward a dossier built with a cast: one of its cast, or a new
    contributor, viewer, declared co-auditor or stranger."""
    if role in CAST_ROLES:
        return getattr(dossier.cast, role)
    if role in ("contributor", "viewer"):
        return member(dossier.collectivity, role)
    if role == "co_auditor":
        co = auditor()
        assignment = audit_services.assignment_create(
            dossier=dossier, auditor_username=co.username, role="co", by=dossier.cast.manager
        )
        audit_services.assignment_declare(
            assignment=assignment, by=co, has_conflict=False, details=""
        )
        return co
    if role == "stranger":
        return UserFactory()
    raise ValueError(f"Unknown role {role!r}.")


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier, its collectivity's groups granted access as the service does, at any stage
    of its lifecycle: `DossierFactory(state="under_review")` walks it there through the
    services (tests/walk.py) with factory-made actors, left on `dossier.cast`.
    `ready_for="submitted"` stops one step short with that step's guard met (a complete
    draft); `referent=`, `auditor=`, `committee=`, `manager=` choose some of the actors;
    `majors=` names the criteria the auditor rates as major nonconformities."""

    class Meta:
        model = models.Dossier

    collectivity = factory.SubFactory(CollectivityFactory)
    campaign = factory.SubFactory(CampaignFactory)
    referential = factory.SelfAttribute("campaign.referential")
    created_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, state=None, ready_for=None, majors=(), **kwargs):
        given = {role: kwargs.pop(role) for role in CAST_ROLES if role in kwargs}
        dossier = super()._create(model_class, *args, **kwargs)
        permissions.grant_collectivity_access(dossier)
        if state is None and ready_for is None and not given:
            return dossier  # a plain draft, no one cast
        the_cast = cast(dossier.collectivity, **given)
        if ready_for:
            return walk.ready_for(dossier, ready_for, the_cast, majors=majors)
        return walk.walk(dossier, state or "draft", the_cast, majors=majors)
