from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models import Criterion, Dossier, Level
from certification.models.display import ChoiceLabels


class Assignment(ChoiceLabels, models.Model):
    """An auditor on a dossier. They see it only once they declared no conflict of interest."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead auditor")
        CO = "co", _("Co-auditor")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="assignments"
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auditor"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    has_conflict = models.BooleanField(_("has a conflict of interest"), null=True)
    conflict_details = models.TextField(_("details"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    # A manager ends an assignment (a declared conflict, an unavailable auditor); the row
    # stays, so that impartiality still knows who audited the dossier.
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "auditor"],
                condition=Q(ended_at__isnull=True),
                name="assignment_unique",
            ),
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(role="lead", ended_at__isnull=True),
                name="one_lead_auditor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.auditor} ({self.role}) · {self.dossier}"


class Assessment(ChoiceLabels, models.Model):
    class Rating(models.TextChoices):
        CONFORM = "conform", _("Conform")
        MINOR_NC = "minor_nc", _("Minor nonconformity")
        MAJOR_NC = "major_nc", _("Major nonconformity")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    points = models.PositiveIntegerField(_("points"), default=0)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "criterion"], name="assessment_unique")
        ]


class Finding(ChoiceLabels, models.Model):
    """A nonconformity raised by an assessment; major ones block the committee."""

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="findings"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["raised_at", "id"]


class CorrectiveAction(ChoiceLabels, models.Model):
    """The collectivity's plan for a finding. The auditor accepts it, which closes the
    finding, or rejects it with a reason, which leaves the finding open."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.CASCADE,
        related_name="corrective_actions",
    )
    plan = models.TextField(_("plan"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")


class InformationRequest(models.Model):
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="information_requests",
    )
    question = models.TextField(_("question"))
    # The criteria whose evidence the request reopens: only they accept new files meanwhile.
    criteria = models.ManyToManyField(
        Criterion, verbose_name=_("criteria"), blank=True, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["asked_at", "id"]
        indexes = [
            models.Index(
                fields=["due_date", "id"], name="open_requests_due",
                condition=Q(answered_at__isnull=True),
            )
        ]  # fmt: skip

    @property
    def is_overdue(self) -> bool:
        return self.answered_at is None and self.due_date < timezone.localdate()


class AuditReport(ChoiceLabels, models.Model):
    class Recommendation(models.TextChoices):
        AWARD = "award", _("Award")
        REFUSE = "refuse", _("Refuse")
        DEFER = "defer", _("Defer")

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="report"
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, null=True, blank=True
    )
    score = models.PositiveIntegerField(_("score"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("audit report")
        verbose_name_plural = _("audit reports")


class IssuedReport(models.Model):
    """Each issue of the audit report exactly as it was issued, never changed: the score per
    chapter against the thresholds, the findings, the recommendation (`snapshot`). A report
    issued again after corrective actions is a new version; the PDF is drawn from the
    snapshot (`documents.reports`)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE,
        related_name="issued_reports",
    )  # fmt: skip
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    issued_at = models.DateTimeField(_("issued at"))
    pdf_key = models.CharField(max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("issued audit report")
        verbose_name_plural = _("issued audit reports")
        ordering = ["dossier", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "version"], name="issued_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} · v{self.version}"


class Surveillance(ChoiceLabels, models.Model):
    """A surveillance audit of a label while it is valid, due at the scheme's rhythm (e.g. at
    12 and 24 months of a 36-month validity). Opened by the scheduler on its due date
    (`audits.surveillance.open_due`, once per award and due date), assigned by a manager to
    an auditor, who checks the criteria the referential names for surveillance and the open
    minor findings, then concludes: keep the label, or recommend its suspension, which the
    committee or a manager decides through the `suspend` transition."""

    class State(models.TextChoices):
        OPEN = "open", _("To assign")
        ASSIGNED = "assigned", _("In progress")
        CONCLUDED = "concluded", _("Concluded")

    class Outcome(models.TextChoices):
        KEEP = "keep", _("Keep the label")
        SUSPEND = "suspend", _("Recommend suspension")

    award = models.ForeignKey(
        "certification.Award", verbose_name=_("award"), on_delete=models.CASCADE,
        related_name="surveillances",
    )  # fmt: skip
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE,
        related_name="surveillances",
    )  # fmt: skip
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.OPEN)  # fmt: skip
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auditor"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="surveillances",
    )  # fmt: skip
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices,
                               blank=True)  # fmt: skip
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("surveillance audit")
        verbose_name_plural = _("surveillance audits")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["award", "due_date"], name="surveillance_once")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.due_date}"


class SurveillanceCheck(ChoiceLabels, models.Model):
    """The auditor's check of one criterion, or of one open minor finding, in surveillance."""

    class Result(models.TextChoices):
        CONFORM = "conform", _("Conform")
        MINOR_NC = "minor_nc", _("Minor nonconformity")
        MAJOR_NC = "major_nc", _("Major nonconformity")

    surveillance = models.ForeignKey(
        Surveillance, verbose_name=_("surveillance audit"), on_delete=models.CASCADE,
        related_name="checks",
    )  # fmt: skip
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    comment = models.TextField(_("comment"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)

    class Meta:
        verbose_name = _("surveillance check")
        verbose_name_plural = _("surveillance checks")
        constraints = [
            models.UniqueConstraint(fields=["surveillance", "criterion"],
                                    name="surveillance_check_once"),
        ]  # fmt: skip
