from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_sdg_goals
from .display import ChoiceLabels


class Scheme(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        LABEL = "label", _("Label")
        TROPHY = "trophy", _("Trophy")

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    certificate_prefix = models.CharField(_("certificate prefix"), max_length=10, default="LPP")
    validity_months = models.PositiveIntegerField(_("validity (months)"), default=36)
    surveillance_months = models.PositiveIntegerField(_("surveillance every (months)"), default=12)

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Referential(models.Model):
    """A version of a scheme's criteria. Once published it never changes; dossiers keep
    the version they started on."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="referentials"
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    max_score = models.PositiveIntegerField(_("maximum score"), default=1000)
    # The most points a nonconformity may carry, in per cent of the criterion's maximum
    # (`audits.scoring.points_cap`).
    minor_nc_cap = models.PositiveSmallIntegerField(
        _("points cap of a minor nonconformity (%)"), default=75,
        validators=[MaxValueValidator(100)],
    )  # fmt: skip
    major_nc_cap = models.PositiveSmallIntegerField(
        _("points cap of a major nonconformity (%)"), default=25,
        validators=[MaxValueValidator(100)],
    )  # fmt: skip
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referential")
        verbose_name_plural = _("referentials")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="referential_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ReferentialPart(models.Model):
    """Base of what a referential is made of: refuses changes once it is published."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if Referential.objects.filter(pk=self.referential_id, published_at__isnull=False).exists():
            raise ValidationError(_("A published referential cannot be changed."))
        super().save(*args, **kwargs)


class Chapter(ReferentialPart):
    referential = models.ForeignKey(
        Referential,
        verbose_name=_("referential"),
        on_delete=models.CASCADE,
        related_name="chapters",
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["referential", "code"], name="chapter_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Criterion(ReferentialPart):
    referential = models.ForeignKey(
        Referential,
        verbose_name=_("referential"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("chapter"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    max_points = models.PositiveIntegerField(_("maximum points"))
    mandatory = models.BooleanField(_("mandatory"), default=False)
    # Checked again in each surveillance audit, with the open minor findings.
    surveyed = models.BooleanField(_("checked in surveillance"), default=False)
    required_evidence = models.TextField(_("required evidence"), blank=True)
    sdg_goals = models.JSONField(
        _("UN sustainable development goals"), default=list, validators=[validate_sdg_goals]
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["referential", "code"], name="criterion_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Level(ReferentialPart):
    """A threshold band on the score, e.g. 501-700 out of 1000."""

    referential = models.ForeignKey(
        Referential, verbose_name=_("referential"), on_delete=models.CASCADE, related_name="levels"
    )
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=100)
    min_score = models.PositiveIntegerField(_("minimum score"))
    max_score = models.PositiveIntegerField(_("maximum score"))

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["min_score"]
        constraints = [
            models.UniqueConstraint(fields=["referential", "code"], name="level_code_unique")
        ]

    def __str__(self) -> str:
        return self.name
