"""The object store against the documents' rows: `manage.py verify_evidence` reads every file
back and names those missing or altered; the orphan task removes, once past the grace period,
the objects no document refers to, and nothing else."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from documents import integrity, services, storage, tasks
from tests import factories as f
from tests.helpers import PDF, pdf

pytestmark = pytest.mark.django_db

LATER = timezone.now() + timedelta(days=30)  # every object stored by the run is old then


def upload(dossier, content=PDF):
    contributor = f.member(dossier.collectivity, "contributor")
    return services.document_upload(
        dossier=dossier, criterion_code="A-1", upload=pdf(content=content), by=contributor
    )


def verify(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_evidence", *args, stdout=out, stderr=err)
    except CommandError as exc:
        exc.stderr = err.getvalue()
        raise
    return out.getvalue(), err.getvalue()


def store(key: str, data: bytes = b"orphan") -> str:
    storage.put(key, io.BytesIO(data), len(data), "application/octet-stream")
    return key


def stored(key: str) -> bool:
    return any(found.key == key for page in storage.listing(key) for found in page)


@pytest.fixture(autouse=True)
def english():
    """The command's messages are quoted in their source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def dossier():
    return f.DossierFactory()


def test_a_clean_upload_verifies(dossier):
    document = upload(dossier)

    out, err = verify("--dossier", str(dossier.pk))

    assert err == ""
    assert out == f"Every file is intact (1 file and {len(PDF)} bytes checked).\n"
    assert document.size == len(PDF)


def test_it_reads_past_files_too(dossier):
    past = upload(dossier)
    past.is_current = False
    past.save(update_fields=["is_current"])
    upload(dossier)

    check = integrity.verify_evidence(dossier_id=dossier.pk)

    assert (check.files, check.bytes, check.intact) == (2, 2 * len(PDF), True)


def test_a_file_deleted_from_the_store_is_reported_missing(dossier):
    document = upload(dossier)
    storage.delete(document.key)

    with pytest.raises(CommandError, match=r"1 file missing or altered \(1 file and 0 bytes"):
        verify("--dossier", str(dossier.pk))

    check = integrity.verify_evidence(dossier_id=dossier.pk)
    assert (check.missing, check.altered) == ([document], [])


def test_the_missing_file_is_named(dossier):
    document = upload(dossier)
    storage.delete(document.key)

    with pytest.raises(CommandError) as failure:
        verify("--dossier", str(dossier.pk))

    assert failure.value.stderr == (
        f"dossier {dossier.pk}, file preuve.pdf ({document.key}): missing\n"
    )


def test_a_file_overwritten_with_other_bytes_is_reported_altered(dossier):
    document = upload(dossier)
    store(document.key, PDF.replace(b"%%EOF", b"%%eof"))

    with pytest.raises(CommandError) as failure:
        verify("--dossier", str(dossier.pk))

    assert failure.value.stderr == (
        f"dossier {dossier.pk}, file preuve.pdf ({document.key}): altered\n"
    )
    check = integrity.verify_evidence(dossier_id=dossier.pk)
    assert (check.missing, check.altered) == ([], [document])


def test_dossier_limits_the_check_to_its_files(dossier):
    upload(dossier)
    other = f.DossierFactory()
    storage.delete(upload(other).key)

    out, _ = verify("--dossier", str(dossier.pk))

    assert "1 file and" in out
    with pytest.raises(CommandError, match="1 file missing or altered"):
        verify("--dossier", str(other.pk))
    with pytest.raises(CommandError, match=r"\(2 files and"):
        verify()


def test_the_orphan_task_removes_an_old_object_no_document_refers_to(dossier):
    orphan = store(f"dossiers/{dossier.pk}/left-by-a-dead-upload")

    assert integrity.remove_orphans(now=LATER) >= 1

    assert not stored(orphan)


def test_the_orphan_task_keeps_an_old_object_a_document_refers_to(dossier):
    document = upload(dossier)

    integrity.remove_orphans(now=LATER)

    assert stored(document.key)
    assert integrity.verify_evidence(dossier_id=dossier.pk).intact


def test_the_orphan_task_keeps_a_young_object_no_document_refers_to(dossier):
    young = store(f"dossiers/{dossier.pk}/an-upload-in-progress")

    assert tasks.remove_orphan_objects() == 0  # within ORPHAN_GRACE_HOURS

    assert stored(young)
    storage.delete(young)


def test_the_orphan_task_never_touches_checkpoints():
    checkpoint = store("checkpoints/00000000T000000000000Z-orphan-test.jsonl")

    integrity.remove_orphans(now=LATER, grace=timedelta(0))

    assert stored(checkpoint)
    storage.delete(checkpoint)


def test_the_orphan_task_checks_each_page_with_one_query(dossier, django_assert_num_queries,
                                                         monkeypatch):  # fmt: skip
    prefix = f"dossiers/{dossier.pk}/{uuid.uuid4().hex}/"  # these objects only
    keys = [store(f"{prefix}orphan-{n}") for n in range(3)]
    listing = storage.listing
    monkeypatch.setattr(storage, "listing", lambda _: listing(prefix, page_size=2))

    with django_assert_num_queries(2):  # two pages
        assert integrity.remove_orphans(now=LATER) == 3

    assert not any(stored(key) for key in keys)
