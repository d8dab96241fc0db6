"""The transition log's integrity. Each dossier's log is a chain of HMACs under a key the
database does not hold (`TransitionLog.compute_hash`); a periodic checkpoint, signed with that
key and written once to the object store, anchors each chain's last entry. Whoever can write
to the database but holds neither the key nor the bucket can change, remove or reorder
entries, or cut a tail and roll the dossier's state back: `verify_history` names the dossier.
Both sides stream, so that memory holds one dossier at a time whatever the size of the log."""

import hmac
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Dossier, TransitionLog
from ..models.history import history_mac, signing_key_id

logger = logging.getLogger(__name__)

CHECKPOINTS = "checkpoints/"  # in the evidence bucket; one new key per checkpoint
CHECKPOINT_FORMAT = "labelflow-checkpoint/1"
CHUNK = 2000  # rows fetched per round trip
SPOOL = 8 * 1024 * 1024  # a checkpoint larger than this is written on disk before upload


def _store():
    # documents depends on certification, not the reverse: its object store is imported
    # when a checkpoint is written or read, not when this module loads.
    from documents import storage

    return storage


class Head(NamedTuple):
    """A dossier's last entry as a checkpoint saw it."""

    dossier: int
    entry: int
    mac: str


class CheckpointRefused(Exception):
    pass


@dataclass
class HistoryCheck:
    """What `verify_history` found: how much it read, against which checkpoint, and the
    dossiers whose history was altered, each with the first reason found."""

    entries: int = 0
    dossiers: int = 0
    checkpoint: str = ""  # the key of the checkpoint checked against, if there is one
    checkpoint_error: str = ""
    altered: list[tuple[int, str]] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.altered and not self.checkpoint_error


# -- Checkpoints ----------------------------------------------------------------------------


def write_checkpoint() -> str:
    """Sign every dossier's last entry (id and MAC) and write it to the object store under a
    new key, never overwritten; return the key. One JSON document a line: a header, one
    `[dossier, entry, mac]` per dossier in dossier order, then the signature of the lines
    before it."""
    now = timezone.now()
    key = f"{CHECKPOINTS}{now:%Y%m%dT%H%M%S%fZ}.jsonl"  # UTC: keys sort as time goes
    key_id = signing_key_id()
    mac = history_mac(key_id)
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as file:

        def write(line: bytes) -> None:
            mac.update(line)
            file.write(line)

        write(_line({"format": CHECKPOINT_FORMAT, "at": now.isoformat(), "key_id": key_id}))
        for head in _heads():
            write(_line(list(head)))
            count += 1
        file.write(_line({"signature": mac.hexdigest()}))
        size = file.tell()
        file.seek(0)
        _store().put_once(key, file, size, "application/x-ndjson")
    logger.info("history checkpoint %s: %d dossiers", key, count)
    return key


def _line(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode() + b"\n"


def _heads() -> Iterator[Head]:
    """Each dossier's last entry, in dossier order, read in one statement."""
    last = TransitionLog.objects.values("dossier_id").annotate(last=Max("id")).values("last")
    rows = (
        TransitionLog.objects.filter(pk__in=last)
        .order_by("dossier_id")
        .values_list("dossier_id", "id", "hash")
    )
    return (Head(*row) for row in rows.iterator(chunk_size=CHUNK))


@contextmanager
def _latest_checkpoint(check: "HistoryCheck"):
    """The heads of the latest checkpoint, in dossier order; none when there is no checkpoint
    or it is refused (then `check.checkpoint_error` says why). Read from a temporary file."""
    store = _store()
    key = max(store.keys(CHECKPOINTS), default="")
    with tempfile.TemporaryFile() as file:
        heads: Iterable[Head] = ()
        if key:
            check.checkpoint = key
            store.copy_to(key, file)
            try:
                heads = _checked_heads(file)
            except CheckpointRefused as exc:
                check.checkpoint_error = str(exc)
        yield heads


def _checked_heads(file) -> Iterator[Head]:
    """Check the signature over the whole file, then return its heads, read lazily."""
    file.seek(0)
    lines = 0
    header, previous = None, None
    mac = None
    for line in file:
        if previous is not None:
            if header is None:
                header = _header(previous)
                mac = history_mac(header["key_id"])
            mac.update(previous)
        previous = line
        lines += 1
    signature = _json(previous).get("signature") if previous else None
    if mac is None or not isinstance(signature, str):
        raise CheckpointRefused(_("it is not a checkpoint, or it was cut short"))
    if not hmac.compare_digest(mac.hexdigest(), signature):
        raise CheckpointRefused(_("its signature is wrong"))
    file.seek(0)
    return (Head(*json.loads(line)) for line in islice(file, 1, lines - 1))


def _header(line: bytes) -> dict:
    header = _json(line)
    if header.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointRefused(_("it is not a checkpoint, or it was cut short"))
    try:
        history_mac(header["key_id"])
    except (KeyError, TypeError) as exc:
        raise CheckpointRefused(
            _("it is signed with the key “%(key)s”, which HISTORY_KEYS does not hold")
            % {"key": header.get("key_id")}
        ) from exc
    return header


def _json(line: bytes) -> dict:
    try:
        value = json.loads(line)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# -- Verification ---------------------------------------------------------------------------


def verify_history() -> HistoryCheck:
    """Recompute each dossier's keyed chain in append order; check that it leads to the
    dossier's state and still holds the last entry the latest checkpoint names (which
    catches a tail cut with the state rolled back to match)."""
    check = HistoryCheck()
    with _latest_checkpoint(check) as checkpoint, _one_snapshot():
        heads = _ByDossier(checkpoint, attrgetter("dossier"))
        logs = TransitionLog.objects.order_by("dossier_id", "id").iterator(chunk_size=CHUNK)
        entries = _ByDossier(logs, attrgetter("dossier_id"))
        states = Dossier.objects.order_by("pk").values_list("pk", "state", "history_head")
        for pk, state, chain_head in states.iterator(chunk_size=CHUNK):
            _report_gone(heads.before(pk), check)
            head = next(heads.of(pk), None)
            reason = _verify_dossier(state, chain_head, entries.of(pk), head, check)
            check.dossiers += 1
            if reason:
                check.altered.append((pk, reason))
        _report_gone(heads.before(None), check)
    return check


def altered_dossiers() -> list[tuple[int, str]]:
    """The dossiers whose history was altered, with a reason each (`verify_history`)."""
    return verify_history().altered


def _verify_dossier(state: str, chain_head: str, entries: Iterable[TransitionLog], head,
                    check) -> str:  # fmt: skip
    """The first problem found in one dossier's history, or an empty string."""
    reason, previous, target, anchored = "", "", Dossier.State.DRAFT, head is None
    for log in entries:
        check.entries += 1
        reason = reason or _entry_problem(log, previous)
        if head and log.pk == head.entry and hmac.compare_digest(log.hash, head.mac):
            anchored = True
        previous, target = log.hash, log.target
    if reason:
        return reason
    if target != state:
        return _("the history does not lead to its state “%(state)s”") % {"state": state}
    if not anchored:
        return _(
            "the history ends before entry %(entry)s, which the checkpoint names as its last"
        ) % {"entry": head.entry}
    if chain_head != previous:  # the next transition would chain to something else
        return _("the dossier's chain head is not its last entry")
    return ""


def _entry_problem(log: TransitionLog, previous: str) -> str:
    if log.previous_hash != previous:
        return _("entry %(entry)s does not follow the previous one") % {"entry": log.pk}
    try:
        expected = log.compute_hash()
    except KeyError:
        return _(
            "entry %(entry)s is signed with the key “%(key)s”, which HISTORY_KEYS does not hold"
        ) % {"entry": log.pk, "key": log.key_id}
    if not hmac.compare_digest(expected, log.hash):
        return _("entry %(entry)s was changed") % {"entry": log.pk}
    return ""


def _report_gone(heads: Iterable[Head], check: HistoryCheck) -> None:
    for head in heads:
        check.altered.append(
            (head.dossier, _("the dossier is gone, yet the checkpoint names its history"))
        )


class _ByDossier:
    """A stream in dossier order, read one dossier at a time."""

    def __init__(self, items: Iterable, dossier_of):
        self._items, self._dossier_of = iter(items), dossier_of
        self._next = next(self._items, None)

    def before(self, dossier: int | None) -> Iterator:
        """The items of the dossiers before `dossier` (all that are left, for None)."""
        while self._next is not None and (
            dossier is None or self._dossier_of(self._next) < dossier
        ):
            yield self._advance()

    def of(self, dossier: int) -> Iterator:
        """The items of `dossier`, after dropping any of an earlier one."""
        for _skipped in self.before(dossier):
            pass
        while self._next is not None and self._dossier_of(self._next) == dossier:
            yield self._advance()

    def _advance(self):
        item, self._next = self._next, next(self._items, None)
        return item


@contextmanager
def _one_snapshot():
    """On PostgreSQL, read the dossiers and their log in one REPEATABLE READ transaction: a
    transition committed while the check runs must not look like a mismatch. Inside an
    open transaction (tests), that one is used."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
