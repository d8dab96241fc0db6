from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scheme import Referential, Scheme


class CampaignQuerySet(models.QuerySet):
    def open(self, at=None):
        at = at or timezone.now()
        return self.filter(opens_at__lte=at, closes_at__gt=at)

    def with_status(self, status: str):
        now = timezone.now()
        filters = {
            "open": Q(opens_at__lte=now, closes_at__gt=now),
            "upcoming": Q(opens_at__gt=now),
            "closed": Q(closes_at__lte=now),
        }
        return self.filter(filters[status])


class Campaign(models.Model):
    STATUSES = ("open", "upcoming", "closed")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="campaigns"
    )
    referential = models.ForeignKey(
        Referential,
        verbose_name=_("referential"),
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text=_("The referential version new dossiers start on."),
    )
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # Trophy campaigns: whether a juror must comment each criterion they score.
    jury_comments_required = models.BooleanField(_("jurors comment each criterion"),
                                                 default=False)  # fmt: skip

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.name

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def status(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class Category(models.Model):
    """A competition category within a campaign, e.g. communes under 20,000 inhabitants."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="categories"
    )
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    min_population = models.PositiveIntegerField(_("minimum population"), null=True, blank=True)
    max_population = models.PositiveIntegerField(_("maximum population"), null=True, blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["min_population", "code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def admits(self, population: int) -> bool:
        return (self.min_population is None or population >= self.min_population) and (
            self.max_population is None or population <= self.max_population
        )
