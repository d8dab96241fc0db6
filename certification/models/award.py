import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .display import ChoiceLabels
from .scheme import Level


class Decision(ChoiceLabels, models.Model):
    class Outcome(models.TextChoices):
        AWARD = "award", _("Award")
        REFUSE = "refuse", _("Refuse")

    dossier = models.OneToOneField(
        "certification.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, null=True, blank=True
    )
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")


def new_verification_code() -> str:
    return secrets.token_urlsafe(12)


class Award(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    dossier = models.OneToOneField(
        "certification.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    certificate_number = models.CharField(_("certificate number"), max_length=30, unique=True)
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, null=True, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    verification_code = models.CharField(max_length=32, unique=True, default=new_verification_code)
    # The PDF certificate in the object store, drawn once (`documents.certificates`).
    certificate_key = models.CharField(max_length=300, blank=True)
    certificate_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-valid_from", "-id"]
        # The registry lists active and suspended certificates, newest first: a page reads
        # 25 entries of this index instead of sorting every certificate.
        indexes = [
            models.Index(
                fields=["-valid_from", "-id"], name="registry_order",
                condition=models.Q(status__in=["active", "suspended"]),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.certificate_number

    @property
    def verification_url(self) -> str:
        """The public verification page, as the certificate's QR code gives it."""
        return settings.PUBLIC_URL.rstrip("/") + reverse("verify", args=[self.verification_code])
