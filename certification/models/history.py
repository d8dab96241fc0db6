import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ENTRY_FORMAT = "labelflow-entry/1"  # the first item of the MAC'd payload, never a checkpoint's


def signing_key_id() -> str:
    """The key that signs new entries and checkpoints: the first of `HISTORY_KEYS`."""
    return next(iter(settings.HISTORY_KEYS))


def history_mac(key_id: str) -> hmac.HMAC:
    """A new HMAC-SHA256 under the key `key_id` of `HISTORY_KEYS` (KeyError if it holds none).
    The keys live in the settings, out of the database: rewriting the log takes them too."""
    return hmac.new(settings.HISTORY_KEYS[key_id].encode(), digestmod=hashlib.sha256)


class TransitionLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The transition log is append-only.")

    def delete(self):
        raise TypeError("The transition log is append-only.")


class TransitionLog(models.Model):
    """Every transition, append-only. Each row's `hash` is an HMAC, under a key the database
    does not hold (`key_id` names it), that covers the previous row's of the same dossier: so
    changing or removing a row breaks the chain, and only the key could mend it. Checkpoints
    in the object store anchor each chain's last row (`services.history`)."""

    dossier = models.ForeignKey(
        "certification.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="history",
    )
    transition = models.CharField(_("transition"), max_length=50)
    source = models.CharField(_("from"), max_length=30)
    target = models.CharField(_("to"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(
        _("signing key"), max_length=32, default=signing_key_id, editable=False
    )

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("transition log entry")
        verbose_name_plural = _("transition log")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.transition} ({self.source} → {self.target})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The transition log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The transition log is append-only.")

    def compute_hash(self) -> str:
        """The entry's HMAC-SHA256 under its key (`key_id`: by default the signing key when
        the entry was made), saved or not. KeyError if `HISTORY_KEYS` no longer holds it."""
        payload = [
            ENTRY_FORMAT, self.key_id, self.previous_hash, self.dossier_id, self.transition,
            self.source, self.target, self.actor_id, self.at.isoformat(), self.comment,
        ]  # fmt: skip
        mac = history_mac(self.key_id)
        mac.update(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
        return mac.hexdigest()
