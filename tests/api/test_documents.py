"""GET|POST /api/v1/dossiers/{id}/documents/ and GET /api/v1/documents/{id}/download/."""

from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import storage
from documents.models import Document
from tests import factories
from tests.api.calls import anonymous, as_
from tests.demo import dossier_at, user
from tests.helpers import EICAR, EXE, PDF, PNG, pdf

pytestmark = pytest.mark.django_db


def upload(api, who, dossier, file, criterion="GOV-1"):
    return as_(api, who).post(
        f"/api/v1/dossiers/{dossier.pk}/documents/",
        {"file": file, "criterion": criterion},
        format="multipart",
    )


def stored_keys(dossier) -> list[str]:
    objects = storage.client().list_objects(
        django_settings.S3_BUCKET, prefix=f"dossiers/{dossier.pk}/", recursive=True
    )
    return [o.object_name for o in objects]


def assert_nothing_stored(response, status, dossier, keys_before):
    """No row and no object: the store keeps what it held before the request (ids repeat
    across tests, the store does not roll back)."""
    assert response.status_code == status, response.data
    assert response.data["detail"]
    assert not Document.objects.filter(dossier=dossier).exists()
    assert stored_keys(dossier) == keys_before


# -- Upload ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["niort", "contributor"])
def test_the_referent_and_a_contributor_upload_evidence(api, who, request):
    who = request.getfixturevalue(who) if who == "contributor" else who
    dossier = dossier_at("draft")
    response = upload(api, who, dossier, pdf("stratégie 2026.pdf", PDF))
    assert response.status_code == 201, response.data
    document = Document.objects.get(dossier=dossier)
    assert response.data["id"] == document.pk
    assert response.data["content_type"] == "application/pdf"
    assert response.data["size"] == len(PDF)
    assert response.data["scan_status"] == "pending"  # a worker scans it
    assert len(response.data["sha256"]) == 64
    assert document.key in stored_keys(dossier)
    assert storage.read(document.key) == PDF


def test_the_type_is_sniffed_from_the_bytes_not_the_clients_word(api):
    dossier = dossier_at("draft")
    response = upload(
        api, "niort", dossier, SimpleUploadedFile("photo.png", PNG, "application/pdf")
    )
    assert response.status_code == 201, response.data
    assert response.data["content_type"] == "image/png"


def test_a_name_that_contradicts_the_content_is_refused_with_415(api):
    dossier = dossier_at("draft")
    response = upload(api, "niort", dossier, SimpleUploadedFile("photo.pdf", PNG, "image/png"))
    assert response.status_code == 415
    assert ".pdf" in response.data["detail"]


def test_it_refuses_a_viewer_uploading(api, viewer):
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    assert_nothing_stored(upload(api, viewer, dossier, pdf()), 403, dossier, keys)


def test_it_refuses_a_manager_uploading(api):
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    assert_nothing_stored(upload(api, "gestionnaire", dossier, pdf()), 403, dossier, keys)


def test_it_refuses_an_anonymous_user(api):
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    response = anonymous(api).post(
        f"/api/v1/dossiers/{dossier.pk}/documents/",
        {"file": pdf(), "criterion": "GOV-1"},
        format="multipart",
    )
    assert_nothing_stored(response, 401, dossier, keys)


@pytest.mark.parametrize("who", ["stranger", "lille"])
def test_it_hides_the_dossier_from_a_stranger_and_another_collectivity(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    assert_nothing_stored(upload(api, who, dossier, pdf()), 404, dossier, keys)


def test_it_refuses_a_file_too_large(api, settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF) - 1
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    assert_nothing_stored(upload(api, "niort", dossier, pdf()), 413, dossier, keys)


def test_it_accepts_a_file_of_exactly_the_maximum_size(api, settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF)
    dossier = dossier_at("draft")
    assert upload(api, "niort", dossier, pdf()).status_code == 201


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),
        ("rapport.pdf", EXE),  # a program under a PDF's name
        ("notes.txt", b"Rapport\x00\x01\x02 binaire" * 20),  # control bytes: not text
        ("page.html", b"<!doctype html><html><body>Rapport</body></html>"),
    ],
)
def test_it_refuses_a_file_type_not_accepted(api, name, content):
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    response = upload(api, "niort", dossier, SimpleUploadedFile(name, content))
    assert_nothing_stored(response, 415, dossier, keys)


def test_it_refuses_the_bare_eicar_test_file(api):
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    response = upload(api, "niort", dossier, SimpleUploadedFile("eicar.com", EICAR))
    assert response.status_code == 415, response.data  # refused before any scan: not a PDF
    assert_nothing_stored(response, response.status_code, dossier, keys)


def test_it_refuses_an_empty_file(api):
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    assert_nothing_stored(upload(api, "niort", dossier, pdf(content=b"")), 400, dossier, keys)


def test_it_refuses_an_upload_without_a_file(api):
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    response = as_(api, "niort").post(
        f"/api/v1/dossiers/{dossier.pk}/documents/", {"criterion": "GOV-1"}, format="multipart"
    )
    assert_nothing_stored(response, 400, dossier, keys)


def test_it_refuses_an_unknown_criterion(api):
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    assert_nothing_stored(
        upload(api, "niort", dossier, pdf(), criterion="XXX-9"), 400, dossier, keys
    )


def test_it_refuses_a_criterion_of_another_referential(api):
    factories.ReferentialFactory(criteria=[("AUT-1", True)])
    dossier = dossier_at("draft")
    keys = stored_keys(dossier)
    assert_nothing_stored(
        upload(api, "niort", dossier, pdf(), criterion="AUT-1"), 400, dossier, keys
    )


def test_it_refuses_evidence_once_the_dossier_is_submitted(api):
    dossier = dossier_at("submitted")
    count, keys = Document.objects.count(), stored_keys(dossier)
    response = upload(api, "niort", dossier, pdf())
    assert response.status_code == 409, response.data
    assert (Document.objects.count(), stored_keys(dossier)) == (count, keys)


def test_a_request_for_information_reopens_only_the_criteria_it_names(api):
    dossier = dossier_at("information_requested")
    named = dossier.information_requests.get().criteria.get()
    other = dossier.referential.criteria.exclude(pk=named.pk).first()

    assert upload(api, "niort", dossier, pdf(), named.code).status_code == 201
    response = upload(api, "niort", dossier, pdf(), other.code)
    assert response.status_code == 409, response.data
    assert f"The evidence of {other.code} is frozen" in response.data["detail"]


def test_it_refuses_the_assigned_auditor_uploading(api):
    dossier = dossier_at("information_requested")
    count = Document.objects.count()
    response = upload(api, "auditeur", dossier, pdf())
    assert response.status_code == 403, response.data
    assert Document.objects.count() == count


# -- List and download ------------------------------------------------------------------------


def test_the_collectivity_lists_its_evidence(api, viewer):
    dossier = dossier_at("draft")
    upload(api, "niort", dossier, pdf("a.pdf"))
    response = as_(api, viewer).get(f"/api/v1/dossiers/{dossier.pk}/documents/")
    assert response.status_code == 200
    assert response.data["count"] == 1
    assert response.data["results"][0]["filename"] == "a.pdf"


@pytest.mark.parametrize("who", ["stranger", "lille", "auditeur2"])
def test_it_hides_the_evidence_from_those_with_no_part_in_it(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    dossier = dossier_at("under_review")
    assert as_(api, who).get(f"/api/v1/dossiers/{dossier.pk}/documents/").status_code == 404


def test_the_download_redirects_to_a_short_lived_signed_url(api):
    dossier = dossier_at("under_review")
    document = Document.objects.filter(dossier=dossier).first()
    for who in ("niort", "auditeur", "gestionnaire"):
        response = as_(api, who).get(f"/api/v1/documents/{document.pk}/download/")
        assert response.status_code == 302
        location = urlparse(response["Location"])
        assert document.key.split("/")[-1] in location.path
        assert "X-Amz-Signature" in location.query and "X-Amz-Expires" in location.query


@pytest.mark.parametrize("who", ["stranger", "lille", "auditeur2", "comite"])
def test_it_hides_a_download_from_those_with_no_part_in_it(api, who, request):
    who = request.getfixturevalue(who) if who == "stranger" else who
    dossier = dossier_at("under_review")
    document = Document.objects.filter(dossier=dossier).first()
    response = as_(api, who).get(f"/api/v1/documents/{document.pk}/download/")
    assert response.status_code == 404
    assert response.data["detail"]


def test_a_download_requires_authentication(api):
    dossier = dossier_at("submitted")
    document = Document.objects.filter(dossier=dossier).first()
    assert anonymous(api).get(f"/api/v1/documents/{document.pk}/download/").status_code == 401


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_an_unknown_document_is_not_found(api, pk):
    response = as_(api, user("gestionnaire")).get(f"/api/v1/documents/{pk}/download/")
    assert response.status_code == 404


def test_a_file_not_cleared_by_the_scan_is_not_served(api):
    dossier = dossier_at("submitted")
    document = Document.objects.filter(dossier=dossier).first()
    Document.objects.filter(pk=document.pk).update(scan_status="infected")
    response = as_(api, "niort").get(f"/api/v1/documents/{document.pk}/download/")
    assert response.status_code == 409


def test_the_list_shows_every_version_and_filters_the_current_ones(api):
    dossier = dossier_at("draft")
    first = upload(api, "niort", dossier, pdf("v1.pdf", PDF)).data
    second = upload(api, "niort", dossier, pdf("v2.pdf")).data
    copy = upload(api, "niort", dossier, pdf("copie.pdf", PDF), "GOV-2").data
    assert (first["version"], second["version"], copy["version"]) == (1, 2, 1)
    assert copy["duplicate_of"] == {
        "id": first["id"], "criterion": "GOV-1", "version": 1, "filename": "v1.pdf",
        "uploaded_at": first["uploaded_at"],
    }  # fmt: skip

    url = f"/api/v1/dossiers/{dossier.pk}/documents/"
    listed = as_(api, "niort").get(url).data["results"]
    assert [(d["criterion"], d["version"], d["is_current"]) for d in listed] == [
        ("GOV-1", 2, True), ("GOV-1", 1, False), ("GOV-2", 1, True),
    ]  # fmt: skip
    current = as_(api, "niort").get(url, {"current": "true"}).data["results"]
    assert [(d["criterion"], d["version"]) for d in current] == [("GOV-1", 2), ("GOV-2", 1)]


def test_the_same_bytes_again_are_refused_with_409_and_nothing_stored(api):
    dossier = dossier_at("draft")
    upload(api, "niort", dossier, pdf("v1.pdf", PDF))
    count, keys = Document.objects.count(), stored_keys(dossier)
    response = upload(api, "niort", dossier, pdf("encore.pdf", PDF))
    assert response.status_code == 409
    assert "already version 1 of GOV-1" in response.data["detail"]
    assert (Document.objects.count(), stored_keys(dossier)) == (count, keys)
