"""The trophy track's juries: who judges which entries, their recusals, their score sheets."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.models import Campaign, Category, Criterion, Dossier
from certification.models.display import ChoiceLabels


class Jury(models.Model):
    """A campaign's jury, or one category's. A category without a jury of its own is judged
    by the campaign's."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="juries"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="juries",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("juries")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "category"], name="one_jury_per_category"),
            models.UniqueConstraint(fields=["campaign"], condition=Q(category__isnull=True),
                                    name="one_campaign_jury"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class JuryMember(models.Model):
    jury = models.ForeignKey(
        Jury, verbose_name=_("jury"), on_delete=models.CASCADE, related_name="members"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("juror"), on_delete=models.PROTECT,
        related_name="jury_seats",
    )  # fmt: skip
    is_chair = models.BooleanField(_("chair"), default=False)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints = [
            models.UniqueConstraint(fields=["jury", "juror"], name="one_seat_per_juror"),
            models.UniqueConstraint(fields=["jury"], condition=Q(is_chair=True),
                                    name="one_chair_per_jury"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.juror} · {self.jury}"


class Declaration(models.Model):
    """A juror's declaration on one entry: no conflict of interest (the entry opens to them)
    or a recusal, with its reason (they never see nor score it)."""

    member = models.ForeignKey(
        JuryMember, verbose_name=_("jury member"), on_delete=models.CASCADE,
        related_name="declarations",
    )  # fmt: skip
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="declarations"
    )
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.UniqueConstraint(fields=["member", "dossier"], name="one_declaration_per_entry")
        ]


class ScoreSheet(models.Model):
    """A juror's scores for one entry: a draft until submitted; only the chair reopens it."""

    member = models.ForeignKey(
        JuryMember, verbose_name=_("jury member"), on_delete=models.CASCADE,
        related_name="sheets",
    )  # fmt: skip
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="score_sheets"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(fields=["member", "dossier"], name="one_sheet_per_entry")
        ]


class Score(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveIntegerField(_("points"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion")
        ]


class Reopening(models.Model):
    """The chair reopened a submitted sheet: kept, with who, when and why."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE,
        related_name="reopenings",
    )  # fmt: skip
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")


class Deliberation(models.Model):
    """The jury's deliberation on one category (on the whole campaign where it has none),
    closed by the chair: the scores lock, the designations open, and the record is kept as
    it stood at the close (members, recusals, rankings before and after normalisation)."""

    jury = models.ForeignKey(
        Jury, verbose_name=_("jury"), on_delete=models.CASCADE, related_name="deliberations"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    record = models.JSONField(_("record"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("deliberation")
        verbose_name_plural = _("deliberations")
        constraints = [
            models.UniqueConstraint(fields=["jury", "category"],
                                    name="one_deliberation_per_category"),
            models.UniqueConstraint(fields=["jury"], condition=Q(category__isnull=True),
                                    name="one_deliberation_per_jury"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.jury} · {self.category or ''}".rstrip(" ·")


class Designation(ChoiceLabels, models.Model):
    """What the jury made of a shortlisted entry: laureate (with a rank or a named prize),
    finalist, or, once the results are published, not designated. Each with its citation
    and who decided."""

    class Outcome(models.TextChoices):
        LAUREATE = "laureate", _("Laureate")
        FINALIST = "finalist", _("Finalist")
        NOT_DESIGNATED = "not_designated", _("Not designated")

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="designation"
    )
    deliberation = models.ForeignKey(
        Deliberation, verbose_name=_("deliberation"), on_delete=models.CASCADE,
        related_name="designations",
    )  # fmt: skip
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    prize = models.CharField(_("prize"), max_length=200, blank=True)
    citation = models.TextField(_("citation"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["outcome", "rank", "id"]


class Publication(models.Model):
    """A trophy campaign's results made public: the laureates page, the entrants' feedback
    and the laureates' trophies open; designations are final."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
        related_name="publication",
    )  # fmt: skip
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    # Per category code, each chapter's mean over the category's entries at publication:
    # an entrant's feedback reads it rather than every other entry's scores.
    chapter_means = models.JSONField(_("chapter means"), default=dict)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
