"""Evidence is versioned per criterion, recognised by its SHA-256, and frozen once the dossier
is submitted, except for the criteria an open information request or corrective action
reopens."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from audits.forms import QuestionForm
from certification.errors import Conflict
from certification.services.transitions import perform_transition
from documents import selectors, services
from documents.models import Document
from tests import factories as f
from tests.helpers import PDF, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def upload(dossier, by, file=None, code="A-1"):
    return services.document_upload(
        dossier=dossier, criterion_code=code, upload=file or pdf(), by=by
    )


@pytest.fixture
def draft():
    dossier = f.DossierFactory()
    return dossier, f.member(dossier.collectivity)


def test_a_later_upload_supersedes_and_every_version_stays_listed(draft):
    dossier, referent = draft
    contributor = f.member(dossier.collectivity, "contributor")
    first = upload(dossier, referent, pdf("plan v1.pdf"))
    second = upload(dossier, contributor, pdf("plan v2.pdf"))
    other = upload(dossier, referent, code="A-2")

    first.refresh_from_db()
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current, second.uploaded_by) == (2, True, contributor)
    assert (other.version, other.is_current) == (1, True)
    listed = [(d.criterion.code, d.version) for d in selectors.dossier_documents(dossier)]
    assert listed == [("A-1", 2), ("A-1", 1), ("A-2", 1)]
    current = selectors.dossier_documents(dossier, current_only=True)
    assert [(d.criterion.code, d.version) for d in current] == [("A-1", 2), ("A-2", 1)]
    # An earlier version is still downloadable once scanned clean.
    first = services.document_scan(document=first)
    assert "X-Amz-Signature" in services.document_download_url(document=first)


def test_the_same_bytes_again_for_a_criterion_are_refused_and_nothing_is_stored(draft):
    dossier, referent = draft
    upload(dossier, referent, pdf("a.pdf", PDF))
    count = Document.objects.count()

    with pytest.raises(Conflict, match="already version 1 of A-1"):
        upload(dossier, referent, pdf("renamed.pdf", PDF))
    assert Document.objects.count() == count


def test_the_same_bytes_elsewhere_in_the_dossier_are_recorded_and_said_so(draft):
    dossier, referent = draft
    first = upload(dossier, referent, pdf("a.pdf", PDF))
    upload(dossier, referent)  # A-1's version 2: the first bytes are no longer current

    again = upload(dossier, referent, pdf("b.pdf", PDF), code="A-2")
    back = upload(dossier, referent, pdf("a again.pdf", PDF))  # A-1's version 1, restored

    assert again.duplicate_of == first and back.duplicate_of == first
    assert back.version == 3
    another = f.DossierFactory(collectivity=dossier.collectivity)
    elsewhere = upload(another, referent, pdf("c.pdf", PDF))
    assert elsewhere.duplicate_of is None  # another dossier's files are not compared


@pytest.mark.django_db(transaction=True)
def test_two_uploads_to_one_criterion_at_once_take_the_next_versions():
    dossier = f.DossierFactory()
    referent = f.member(dossier.collectivity)
    barrier, made, errors = threading.Barrier(2), [], []

    def send():
        try:
            barrier.wait()
            made.append(upload(dossier, referent).version)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and sorted(made) == [1, 2]
    assert Document.objects.filter(dossier=dossier, is_current=True).count() == 1


# -- Frozen after submission ----------------------------------------------------------------


@pytest.mark.parametrize("state", ["submitted", "admissible", "under_review"])
def test_evidence_is_frozen_once_submitted(state):
    dossier = f.DossierFactory(state=state)
    with pytest.raises(Conflict, match="Evidence can be added to a draft"):
        upload(dossier, dossier.cast.referent)


def test_an_information_request_reopens_the_criteria_it_names_only():
    dossier = f.DossierFactory(state="under_review")
    dossier = perform_transition(
        dossier=dossier, name="request_information", by=dossier.cast.auditor,
        data={"question": "Le plan signé ?", "criteria": ["A-2"]},
    )  # fmt: skip

    assert upload(dossier, dossier.cast.referent, code="A-2").version == 1
    with pytest.raises(Conflict, match="The evidence of A-1 is frozen"):
        upload(dossier, dossier.cast.referent, code="A-1")


def test_an_information_request_naming_no_criterion_reopens_none():
    dossier = f.DossierFactory(state="under_review")
    dossier = perform_transition(
        dossier=dossier, name="request_information", by=dossier.cast.auditor,
        data={"question": "Une précision ?"},
    )  # fmt: skip
    with pytest.raises(Conflict, match="No criterion is reopened"):
        upload(dossier, dossier.cast.referent)


def test_corrective_actions_reopen_the_criteria_of_the_open_major_findings():
    dossier = f.DossierFactory(state="corrective_actions", majors=["A-2"])
    assert upload(dossier, dossier.cast.referent, code="A-2").is_current
    with pytest.raises(Conflict, match="The evidence of A-1 is frozen"):
        upload(dossier, dossier.cast.referent, code="A-1")


# -- Information requests: criteria and due date --------------------------------------------


def test_an_information_request_is_due_after_the_configured_days_by_default(settings):
    settings.INFORMATION_REQUEST_DAYS = 10
    dossier = f.DossierFactory(state="under_review")
    perform_transition(
        dossier=dossier, name="request_information", by=dossier.cast.auditor,
        data={"question": "?", "criteria": ["A-1"]},
    )  # fmt: skip
    request = dossier.information_requests.get()
    assert request.due_date == timezone.localdate() + timedelta(days=10)
    assert [c.code for c in request.criteria.all()] == ["A-1"]
    assert not request.is_overdue
    request.due_date = timezone.localdate() - timedelta(days=1)
    assert request.is_overdue


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"question": "?", "due_date": "2020-01-01"}, "The due date cannot be in the past."),
        ({"question": "?", "due_date": "demain"}, "Enter a valid date."),
        ({"question": "?", "criteria": ["Z-9"]}, "Unknown criterion for this referential: Z-9."),
        ({"question": "?", "criteria": "A-1"}, "A list of criterion codes is expected."),
    ],
)
def test_an_information_request_refuses_bad_criteria_and_dates(data, error):
    dossier = f.DossierFactory(state="under_review")
    form = QuestionForm(data, dossier=dossier)
    assert not form.is_valid()
    assert error in [m for ms in form.invalid().values() for m in ms]
