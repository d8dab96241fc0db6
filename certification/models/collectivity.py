from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_insee_code, validate_siren
from .display import ChoiceLabels


def folded(field: str) -> models.GeneratedField:
    return models.GeneratedField(expression=models.Func(field, function="labelflow_fold"),
                                 output_field=models.TextField(), db_persist=True)  # fmt: skip


class Collectivity(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        INTERCOMMUNALITE = "intercommunalite", _("Intercommunality")
        METROPOLE = "metropole", _("Metropolis")
        DEPARTEMENT = "departement", _("Department")
        REGION = "region", _("Region")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    siren = models.CharField(_("SIREN"), max_length=9, unique=True, validators=[validate_siren])
    insee_code = models.CharField(
        _("INSEE code"), max_length=5, blank=True, validators=[validate_insee_code]
    )
    population = models.PositiveIntegerField(_("population"))
    department = models.CharField(_("department"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    # The name and the place as people type them (`folding`), kept by the database for the
    # searches.
    folded_name = folded("name")
    folded_department = folded("department")
    folded_region = folded("region")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="collectivities"
    )

    class Meta:
        verbose_name = _("collectivity")
        verbose_name_plural = _("collectivities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["folded_department"], name="collectivity_department"),
            models.Index(fields=["folded_region"], name="collectivity_region"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(ChoiceLabels, models.Model):
    class Role(models.TextChoices):
        REFERENT = "referent", _("Referent")
        CONTRIBUTOR = "contributor", _("Contributor")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    collectivity = models.ForeignKey(
        Collectivity,
        verbose_name=_("collectivity"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "collectivity"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.collectivity} ({self.role})"
