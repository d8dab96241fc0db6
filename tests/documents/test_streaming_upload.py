"""An upload is checked, hashed and stored as its bytes arrive (`documents.receiving`), in
many chunks and several parts; whatever refuses it, the store keeps no object."""

import hashlib
import io
import random
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from rest_framework.test import APIClient

from documents import storage
from documents.models import Document
from documents.receiving import EvidenceReceiver
from tests import factories

pytestmark = pytest.mark.django_db

CHUNK = EvidenceReceiver.chunk_size
# Over one part of the store, so that it goes up as a multipart upload, in many chunks.
SIZE = storage.PART_SIZE + 3 * CHUNK + 123


def pdf_bytes(size: int = SIZE, seed: int = 7) -> bytes:
    head = b"%PDF-1.4\n"
    return head + random.Random(seed).randbytes(size - len(head))


def keys_under(prefix: str) -> list[str]:
    objects = storage.client().list_objects(django_settings.S3_BUCKET, prefix, recursive=True)
    return sorted(o.object_name for o in objects)


def stored_keys(dossier) -> list[str]:
    return keys_under(f"dossiers/{dossier.pk}/")


def post(api, user, dossier, content: bytes, name="rapport.pdf", criterion="A-1"):
    return api.as_user(user).post(
        f"/api/v1/dossiers/{dossier.pk}/documents/",
        {"file": SimpleUploadedFile(name, content), "criterion": criterion},
        format="multipart",
    )


@pytest.fixture
def dossier():
    return factories.DossierFactory()


@pytest.fixture
def referent(dossier):
    return factories.member(dossier.collectivity, "referent")


def assert_nothing_kept(response, status, dossier, keys_before):
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert not Document.objects.filter(dossier=dossier).exists()
    assert stored_keys(dossier) == keys_before  # ids repeat across tests: compare


# -- What is recorded -------------------------------------------------------------------------


def test_it_records_the_size_and_sha256_of_the_bytes_received(api, dossier, referent):
    content = pdf_bytes()
    response = post(api, referent, dossier, content)
    assert response.status_code == 201, response.data
    document = Document.objects.get(dossier=dossier)
    assert response.data["size"] == document.size == len(content)
    assert response.data["sha256"] == document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.content_type == "application/pdf"
    assert document.key.startswith(f"dossiers/{dossier.pk}/")
    assert storage.read(document.key) == content


def test_the_web_form_stores_the_file_once_its_csrf_token_is_checked(dossier, referent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(referent)
    client.get(f"/dossiers/{dossier.pk}/")  # sets the CSRF cookie, as the page does
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    content, keys = pdf_bytes(), stored_keys(dossier)
    data = {"criterion": "A-1", "file": SimpleUploadedFile("plan.pdf", content)}

    refused = client.post(f"/dossiers/{dossier.pk}/documents/", data)
    assert refused.status_code == 403
    assert stored_keys(dossier) == keys

    data["file"].seek(0)
    response = client.post(
        f"/dossiers/{dossier.pk}/documents/", {**data, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Document.objects.get(dossier=dossier).sha256 == hashlib.sha256(content).hexdigest()


def test_a_session_whose_csrf_check_read_the_form_first_still_records_the_file(dossier, referent):
    """DRF checks a session's CSRF token by reading the form, file included, before the view
    can put the receiver in place: the file then comes as a file in hand, stored by the
    service through the same receiver."""
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(referent)
    api.get(f"/dossiers/{dossier.pk}/")
    token = api.cookies[django_settings.CSRF_COOKIE_NAME].value
    content = pdf_bytes()
    response = api.post(
        f"/api/v1/dossiers/{dossier.pk}/documents/",
        {"file": SimpleUploadedFile("plan.pdf", content), "criterion": "A-1"},
        format="multipart",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.data
    assert response.data["sha256"] == hashlib.sha256(content).hexdigest()
    assert storage.read(Document.objects.get(dossier=dossier).key) == content


# -- What is refused leaves nothing -----------------------------------------------------------


def test_it_refuses_a_file_over_the_limit_with_413_and_keeps_no_object(
    api, dossier, referent, settings
):
    settings.EVIDENCE_MAX_BYTES = storage.PART_SIZE + CHUNK  # a part was on its way up
    keys = stored_keys(dossier)
    response = post(api, referent, dossier, pdf_bytes())
    assert_nothing_kept(response, 413, dossier, keys)
    assert "larger than" in response.json()["detail"]


CONTENTS = {
    "pdf": pdf_bytes,
    "program": lambda: b"MZ\x90\x00" + bytes(SIZE),  # not an accepted type
}


@pytest.mark.parametrize(
    ("who", "state", "content", "criterion", "status"),
    [
        ("referent", None, "program", "A-1", 415),
        ("referent", None, "pdf", "XXX-9", 400),  # stored, then the criterion is unknown
        ("referent", "submitted", "pdf", "A-1", 409),  # no evidence once submitted
        ("viewer", None, "pdf", "A-1", 403),
        ("auditor", "information_requested", "pdf", "A-1", 403),
    ],
)
def test_a_refused_upload_keeps_no_object(api, who, state, content, criterion, status):
    if state:
        dossier = factories.DossierFactory(state=state)
        user = factories.someone(dossier, who)
    else:
        dossier = factories.DossierFactory()
        user = factories.member(dossier.collectivity, who)
    documents, keys = Document.objects.filter(dossier=dossier).count(), stored_keys(dossier)
    response = post(api, user, dossier, CONTENTS[content](), criterion=criterion)
    assert response.status_code == status, response.content
    assert Document.objects.filter(dossier=dossier).count() == documents
    assert stored_keys(dossier) == keys


def test_a_refused_web_upload_keeps_no_object(client, dossier):
    viewer = factories.member(dossier.collectivity, "viewer")
    client.force_login(viewer)
    keys = stored_keys(dossier)
    response = client.post(
        f"/dossiers/{dossier.pk}/documents/",
        {"criterion": "A-1", "file": SimpleUploadedFile("plan.pdf", pdf_bytes())},
    )
    assert response.status_code == 403
    assert not Document.objects.filter(dossier=dossier).exists()
    assert stored_keys(dossier) == keys


def test_a_row_that_cannot_be_written_keeps_no_object(api, dossier, referent, monkeypatch):
    def fail(**kwargs):
        raise IntegrityError("simulated failure of the insert")

    keys = stored_keys(dossier)
    monkeypatch.setattr(Document.objects, "create", fail)
    response = post(api, referent, dossier, pdf_bytes())
    assert_nothing_kept(response, 500, dossier, keys)


# -- The store down ---------------------------------------------------------------------------


@pytest.fixture
def store_down(settings):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.S3_ENDPOINT = urlparse(f"http://127.0.0.1:{port}")
    storage.client.cache_clear()
    yield
    storage.client.cache_clear()  # the next client is built on the restored endpoint


@pytest.mark.parametrize("size", [1024, SIZE], ids=["one part", "several parts"])
def test_it_answers_503_when_the_store_is_down(api, dossier, referent, store_down, size):
    response = post(api, referent, dossier, pdf_bytes(size))
    assert response.status_code == 503, response.data
    assert "unavailable" in response.data["detail"]
    assert not Document.objects.filter(dossier=dossier).exists()


class FailsOnce(BaseHTTPRequestHandler):
    """A store that answers its first PUT with S3's passing InternalError, then takes the
    next ones."""

    puts: list[int]

    def do_PUT(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.puts.append(500 if not self.puts else 200)
        self.send_response(self.puts[-1])
        self.send_header("ETag", '"etag"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_passing_internal_error_of_the_store_is_retried(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (FailsOnce,), {"puts": []}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.S3_ENDPOINT = urlparse(f"http://127.0.0.1:{server.server_port}")
    storage.client.cache_clear()
    try:
        storage.put("dossiers/0/retried.pdf", io.BytesIO(b"%PDF-1.4"), 8, "application/pdf")
    finally:
        server.shutdown()
        storage.client.cache_clear()
    assert server.RequestHandlerClass.puts == [500, 200]


def test_a_download_answers_503_when_the_store_is_down(api, dossier, referent, settings):
    response = post(api, referent, dossier, pdf_bytes(1024))
    Document.objects.filter(pk=response.data["id"]).update(scan_status="clean")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.S3_ENDPOINT = urlparse(f"http://127.0.0.1:{port}")
    storage.client.cache_clear()
    try:
        download = api.as_user(referent).get(f"/api/v1/documents/{response.data['id']}/download/")
    finally:
        storage.client.cache_clear()
    assert download.status_code == 503
    assert "unavailable" in download.json()["detail"]


def test_a_download_is_an_attachment_under_its_name(api, dossier, referent):
    response = post(api, referent, dossier, pdf_bytes(1024), name="rapport annuel.pdf")
    Document.objects.filter(pk=response.data["id"]).update(scan_status="clean")
    download = api.as_user(referent).get(f"/api/v1/documents/{response.data['id']}/download/")
    assert download.status_code == 302
    assert "attachment" in download["Location"] and "rapport%2520annuel.pdf" in download["Location"]
    assert "rapport" not in Document.objects.get(pk=response.data["id"]).key


# -- The writer -------------------------------------------------------------------------------


def test_an_aborted_writer_leaves_no_object_no_upload_and_no_thread(monkeypatch):
    aborted = []
    abort = storage.client()._abort_multipart_upload
    monkeypatch.setattr(  # the embedded server does not list unfinished uploads: watch it
        storage.client(), "_abort_multipart_upload",
        lambda bucket, key, upload_id: aborted.append(key) or abort(bucket, key, upload_id),
    )  # fmt: skip
    threads = threading.active_count()
    writer = storage.ObjectWriter("dossiers/0/aborted/x.pdf", "application/pdf")
    content = pdf_bytes(2 * storage.PART_SIZE + CHUNK)
    for start in range(0, len(content), CHUNK):
        writer.write(content[start : start + CHUNK])
    writer.abort()
    assert keys_under("dossiers/0/aborted/") == []
    assert aborted == ["dossiers/0/aborted/x.pdf"]
    assert threading.active_count() == threads
