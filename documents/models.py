from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.models import Criterion, Dossier
from certification.models.display import ChoiceLabels


class Document(ChoiceLabels, models.Model):
    """An evidence file. The bytes live in the object store under `key`; the row records
    what was received (size, SHA-256, sniffed type) and what its scan found
    (`documents.scanning`): `pending` until a worker scanned it, then `clean`, `infected`
    (quarantined: never downloadable) or `error` (the scan could not run, retries spent).
    `not_scanned` when no scanner is configured. Only `clean` files count as evidence.

    Files are versioned per criterion: a new upload is the next `version` and supersedes the
    current one, which stays listed and downloadable (`is_current` false). `duplicate_of`
    is the dossier's earlier file with the same bytes, when there is one."""

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
    # Unique but for a renewal's carried-over files, which name the object they came from.
    key = models.CharField(max_length=300, db_index=True)
    scan_status = models.CharField(
        _("scan"), max_length=12, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    # The signature found (infected), or why the last attempt failed (pending, error).
    scan_detail = models.CharField(_("scan detail"), max_length=200, blank=True)
    scan_attempts = models.PositiveSmallIntegerField(_("scan attempts"), default=0)
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    carried_from = models.ForeignKey(
        "self", verbose_name=_("carried over from"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("same bytes as"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
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
        indexes = [models.Index(fields=["dossier", "sha256"], name="document_dossier_sha256")]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "criterion", "version"], name="document_version_unique"
            ),
            models.UniqueConstraint(
                fields=["dossier", "criterion"],
                condition=models.Q(is_current=True),
                name="one_current_document",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.filename
