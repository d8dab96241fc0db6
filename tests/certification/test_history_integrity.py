"""Tamper evidence against someone with database access but without `HISTORY_KEYS`: each
entry's HMAC needs the key, and signed checkpoints in the object store (the suite's real S3
server) remember each dossier's last entry, so a tail cut with the state rolled back to match
is caught too."""

import hashlib
import hmac
import io
import json

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from certification.models import Dossier, TransitionLog
from certification.models.history import history_mac
from certification.schedule import checkpoint_history
from certification.services.history import CHECKPOINTS, verify_history
from certification.services.transitions import perform_transition
from documents import storage
from tests import factories as f

pytestmark = pytest.mark.django_db

FIRST = {"k1": "the-first-history-key-of-the-tests-0001"}
SECOND = {"k2": "the-second-history-key-of-the-tests-002"}
LATER = "checkpoints/99991231T235959999999Z.jsonl"  # sorts after any real checkpoint


@pytest.fixture(autouse=True)
def no_checkpoints():
    """Checkpoints outlive a test's database: each test starts and ends with none."""

    def clear():
        for key in list(storage.keys(CHECKPOINTS)):
            storage.delete(key)

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def english():
    """The reasons are quoted in their source language."""
    with translation.override("en"):
        yield


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def chain(dossier) -> list[TransitionLog]:
    return list(TransitionLog.objects.filter(dossier=dossier).order_by("id"))


def plain_sha256(log: TransitionLog) -> str:
    """The chain's hash as it was before it was keyed: anyone can recompute it."""
    payload = [
        log.previous_hash, log.dossier_id, log.transition, log.source, log.target,
        log.actor_id, log.at.isoformat(), log.comment,
    ]  # fmt: skip
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def verify_command() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_history", stdout=out, stderr=err)
    except CommandError as exc:
        exc.stderr = err.getvalue()
        raise
    return out.getvalue(), err.getvalue()


def test_an_intact_history_passes_against_its_checkpoint():
    dossiers = [f.DossierFactory(state="admissible") for _ in range(2)]

    key = checkpoint_history()
    check = verify_history()

    assert check.intact, check
    assert check.checkpoint == key
    assert check.entries == TransitionLog.objects.filter(dossier__in=dossiers).count()
    assert check.dossiers == Dossier.objects.count()


def test_a_chain_rewritten_with_recomputed_plain_hashes_is_caught():
    tampered, untouched = f.DossierFactory(state="admissible"), f.DossierFactory(state="admissible")
    # The attacker rewrites the first entry's actor and comment, then recomputes every hash
    # down the chain, as they could when the hash was a plain SHA-256.
    previous = ""
    for n, log in enumerate(chain(tampered)):
        if n == 0:
            log.actor_id, log.comment = untouched.cast.manager.pk, "Rien à signaler."
        log.previous_hash = previous
        previous = plain_sha256(log)
        sql(
            "UPDATE certification_transitionlog SET actor_id = %s, comment = %s, "
            "previous_hash = %s, hash = %s WHERE id = %s",
            [log.actor_id, log.comment, log.previous_hash, previous, log.pk],
        )

    first = chain(tampered)[0]
    assert verify_history().altered == [(tampered.pk, f"entry {first.pk} was changed")]


def test_an_entry_moved_to_the_end_of_its_chain_is_caught():
    dossier = f.DossierFactory(state="admissible")
    perform_transition(dossier=dossier, name="withdraw", by=dossier.cast.referent)
    first = chain(dossier)[0]
    columns = ["dossier_id", "transition", "source", "target", "actor_id", "at", "comment",
               "previous_hash", "hash", "key_id"]  # fmt: skip
    sql("DELETE FROM certification_transitionlog WHERE id = %s", [first.pk])
    sql(
        f"INSERT INTO certification_transitionlog ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})",
        [getattr(first, column) for column in columns],
    )

    [(pk, reason)] = verify_history().altered
    assert pk == dossier.pk
    assert "does not follow the previous one" in reason


@pytest.mark.parametrize("cut", [1, 2], ids=["last entry", "whole history"])
def test_a_tail_cut_with_the_state_rolled_back_is_caught_by_the_checkpoint(cut):
    dossier = f.DossierFactory(state="admissible")
    entries = chain(dossier)
    assert len(entries) == 2
    checkpoint_history()
    # The attacker deletes the tail and sets the state and the chain head back to where the
    # chain now ends.
    for log in entries[-cut:]:
        sql("DELETE FROM certification_transitionlog WHERE id = %s", [log.pk])
    state, head = (
        (entries[-cut - 1].target, entries[-cut - 1].hash) if cut < len(entries) else ("draft", "")
    )
    sql(
        "UPDATE certification_dossier SET state = %s, history_head = %s WHERE id = %s",
        [state, head, dossier.pk],
    )

    assert verify_history().altered == [(
        dossier.pk,
        f"the history ends before entry {entries[-1].pk}, which the checkpoint names as its last",
    )]  # fmt: skip

    # The keyed chain alone cannot see it: what is left is consistent.
    for key in list(storage.keys(CHECKPOINTS)):
        storage.delete(key)
    assert verify_history().intact


def test_a_chain_head_that_is_not_the_last_entry_is_caught():
    dossier = f.DossierFactory(state="admissible")
    sql("UPDATE certification_dossier SET history_head = '' WHERE id = %s", [dossier.pk])

    assert verify_history().altered == [
        (dossier.pk, "the dossier's chain head is not its last entry")
    ]


def test_entries_appended_after_a_checkpoint_extend_the_chain():
    dossier = f.DossierFactory(state="submitted")
    key = checkpoint_history()

    perform_transition(dossier=dossier, name="declare_admissible", by=dossier.cast.manager)

    check = verify_history()
    assert check.intact, check
    assert check.checkpoint == key


def test_a_key_rotation_keeps_old_entries_verifiable(settings):
    settings.HISTORY_KEYS = FIRST
    dossier = f.DossierFactory(state="submitted")
    old_checkpoint = checkpoint_history()

    settings.HISTORY_KEYS = {**SECOND, **FIRST}  # the new key first: it signs, both verify
    perform_transition(dossier=dossier, name="declare_admissible", by=dossier.cast.manager)

    assert [log.key_id for log in chain(dossier)] == ["k1", "k2"]
    assert verify_history().intact  # against the checkpoint signed with k1
    new_checkpoint = checkpoint_history()
    assert json.loads(storage.read(new_checkpoint).splitlines()[0])["key_id"] == "k2"
    assert new_checkpoint > old_checkpoint
    assert verify_history().intact

    settings.HISTORY_KEYS = SECOND  # retiring k1 leaves its entries unverifiable
    first = chain(dossier)[0]
    assert verify_history().altered == [(
        dossier.pk,
        f"entry {first.pk} is signed with the key “k1”, which HISTORY_KEYS does not hold",
    )]  # fmt: skip


def test_the_checkpoint_task_writes_a_signed_object_to_the_store(settings):
    settings.HISTORY_KEYS = FIRST
    dossiers = [f.DossierFactory(state="submitted"), f.DossierFactory(state="admissible")]
    draft = f.DossierFactory()

    key = checkpoint_history.apply().get()

    assert key.startswith(CHECKPOINTS) and key.endswith(".jsonl")
    assert list(storage.keys(CHECKPOINTS)) == [key]
    lines = storage.read(key).splitlines(keepends=True)
    header, heads, trailer = json.loads(lines[0]), lines[1:-1], json.loads(lines[-1])
    assert (header["format"], header["key_id"]) == ("labelflow-checkpoint/1", "k1")
    last = [chain(dossier)[-1] for dossier in dossiers]
    assert [json.loads(line) for line in heads] == [[e.dossier_id, e.pk, e.hash] for e in last]
    assert draft.pk not in [json.loads(line)[0] for line in heads]  # no history, no head
    mac = history_mac("k1")
    for line in lines[:-1]:
        mac.update(line)
    assert trailer == {"signature": mac.hexdigest()}


def test_each_checkpoint_is_a_new_object_never_overwritten():
    f.DossierFactory(state="submitted")
    first = checkpoint_history()
    content = storage.read(first)

    second = checkpoint_history()
    with pytest.raises(FileExistsError):
        storage.put_once(first, io.BytesIO(b"{}"), 2, "application/x-ndjson")

    assert second != first
    assert sorted(storage.keys(CHECKPOINTS)) == [first, second]
    assert storage.read(first) == content


def test_the_checkpoint_is_scheduled():
    entry = django_settings.CELERY_BEAT_SCHEDULE["checkpoint-history"]
    assert entry["task"] == checkpoint_history.name
    assert entry["schedule"] == django_settings.HISTORY_CHECKPOINT_SECONDS


def forge(lines: list[bytes], how: str) -> bytes:
    """A checkpoint rewritten without the key: a head changed under the old signature,
    re-signed with the attacker's own key, or cut short."""
    if how == "cut short":
        return b"".join(lines[:-2])
    body = lines[:-1]
    dossier, entry, mac = json.loads(body[1])
    body[1] = json.dumps([dossier, entry - 1, "0" * 64], separators=(",", ":")).encode() + b"\n"
    signature = json.loads(lines[-1])["signature"]
    if how == "own key":
        body[0] = body[0].replace(b'"key_id":"k1"', b'"key_id":"mine"')
        signature = hmac.new(b"the attacker's key", b"".join(body), "sha256").hexdigest()
    return b"".join(body) + json.dumps({"signature": signature}).encode() + b"\n"


@pytest.mark.parametrize(
    "how,reason",
    [
        ("head changed", "its signature is wrong"),
        ("own key", "it is signed with the key “mine”, which HISTORY_KEYS does not hold"),
        ("cut short", "it is not a checkpoint, or it was cut short"),
    ],
)
def test_a_tampered_checkpoint_is_refused(how, reason, settings):
    settings.HISTORY_KEYS = FIRST
    dossier = f.DossierFactory(state="admissible")
    lines = storage.read(checkpoint_history()).splitlines(keepends=True)
    forged = forge(lines, how)
    storage.put(LATER, io.BytesIO(forged), len(forged), "application/x-ndjson")

    check = verify_history()
    assert (check.checkpoint, check.checkpoint_error) == (LATER, reason)
    assert check.altered == []  # the refused checkpoint names nothing
    assert dossier.pk in [json.loads(line)[0] for line in lines[1:-1]]

    with pytest.raises(CommandError) as caught:
        verify_command()
    assert f"checkpoint {LATER}: {reason}" in caught.value.stderr
    assert "The checkpoint is refused" in str(caught.value)


def test_a_dossier_gone_from_the_database_is_named():
    dossier = f.DossierFactory(state="submitted")
    checkpoint_history()
    sql("DELETE FROM certification_transitionlog WHERE dossier_id = %s", [dossier.pk])
    Dossier.objects.filter(pk=dossier.pk).delete()  # and the rows that hang on it

    assert verify_history().altered == [
        (dossier.pk, "the dossier is gone, yet the checkpoint names its history")
    ]


def test_the_command_says_how_many_entries_and_dossiers_it_checked():
    for _ in range(2):
        f.DossierFactory(state="admissible")
    out, _err = verify_command()
    assert "4 entries of 2 dossiers checked; no checkpoint yet" in out

    key = checkpoint_history()
    out, err = verify_command()

    assert "Every history is intact (4 entries of 2 dossiers checked, against the checkpoint" in out
    assert key in out
    assert err == ""
