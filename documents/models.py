from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.models import Criterion, Dossier


class Document(models.Model):
    """An evidence file. The bytes live in the object store under `key`; the row records
    what was received (size, SHA-256, sniffed type) and what its scan found
    (`documents.scanning`): `pending` until a worker scanned it, then `clean`, `infected`
    (quarantined: never downloadable) or `error` (the scan could not run, retries spent).
    `not_scanned` when no scanner is configured. Only `clean` files count as evidence."""

    class ScanStatus(models.TextChoices):
        PENDING = "pending", _("Scan pending")
        CLEAN = "clean", _("Clean")
        INFECTED = "infected", _("Quarantined")
        ERROR = "error", _("Scan failed")
        NOT_SCANNED = "not_scanned", _("Not scanned")

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
        _("scan"), max_length=12, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    # The signature found (infected), or why the last attempt failed (pending, error).
    scan_detail = models.CharField(_("scan detail"), max_length=200, blank=True)
    scan_attempts = models.PositiveSmallIntegerField(_("scan attempts"), default=0)
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
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
