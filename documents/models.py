from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.models import Criterion, Dossier


class Document(models.Model):
    """An evidence file. The bytes live in the object store under `key`; the row records
    what was received (size, SHA-256, sniffed type) and whether it is clean."""

    class ScanStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        CLEAN = "clean", _("Clean")
        INFECTED = "infected", _("Infected")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="documents"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="documents"
    )
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(_("type"), max_length=100)
    key = models.CharField(max_length=300, unique=True)
    scan_status = models.CharField(
        _("scan"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    is_current = models.BooleanField(_("current"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["dossier", "criterion"])]

    def __str__(self) -> str:
        return self.filename
