"""Each award has a PDF certificate: drawn once, stored with its SHA-256, its text readable,
its QR code leading to the verification page; downloadable by whoever may see the dossier."""

import hashlib
import io

import pytest
import zxingcpp
from django.conf import settings
from django.utils import translation
from pypdf import PdfReader

from certification.models import Award
from documents import certificates, storage
from documents.tasks import store_certificate
from tests import factories as f
from tests.api.calls import as_

pytestmark = pytest.mark.django_db


@pytest.fixture
def award():
    dossier = f.DossierFactory(state="awarded", collectivity=f.CollectivityFactory(name="Vertou"))
    award = Award.objects.get(dossier=dossier)
    award.people = dossier.cast
    return award


def test_the_certificate_is_drawn_once_and_stored_with_its_sha256(award):
    key = store_certificate(award.pk)

    award.refresh_from_db()
    assert key == award.certificate_key == f"certificates/{award.certificate_number}.pdf"
    data = storage.read(key)
    assert hashlib.sha256(data).hexdigest() == award.certificate_sha256
    assert certificates.certificate_pdf(award) == data  # the same award, the same bytes
    assert certificates.certificate_store(award).certificate_key == key  # kept, not redrawn


def test_the_certificate_says_who_what_which_level_and_until_when(award):
    award = certificates.certificate_store(award)
    text = PdfReader(io.BytesIO(storage.read(award.certificate_key))).pages[0].extract_text()
    dossier = award.dossier
    with translation.override("fr"):
        for expected in [
            "Vertou", dossier.campaign.scheme.name, award.level.name, award.certificate_number,
            f"version {dossier.referential.version}", dossier.referential.title,
            award.valid_until.strftime("%Y"),
        ]:  # fmt: skip
            assert expected in text


def test_its_qr_code_leads_to_the_verification_page(award):
    award = certificates.certificate_store(award)
    page = PdfReader(io.BytesIO(storage.read(award.certificate_key))).pages[0]
    [image] = page.images
    [code] = zxingcpp.read_barcodes(image.image)
    assert code.text == f"{settings.PUBLIC_URL}/verify/{award.verification_code}/"


@pytest.mark.parametrize(("who", "status"), [
    ("referent", 302), ("manager", 302), ("committee", 302),
    ("stranger", 404), ("other_collectivity", 404),
])  # fmt: skip
def test_the_certificate_downloads_for_whoever_sees_the_dossier(client, api, award, who, status):
    people = award.people
    user = {
        "referent": people.referent, "manager": people.manager, "committee": people.committee,
        "stranger": f.UserFactory(), "other_collectivity": f.member(f.CollectivityFactory()),
    }[who]  # fmt: skip
    client.force_login(user)
    response = client.get(f"/certificates/{award.certificate_number}/pdf/")
    assert response.status_code == status
    api_response = as_(api, user).get(f"/api/v1/certificates/{award.certificate_number}/pdf/")
    assert api_response.status_code == status
    if status == 302:
        assert "X-Amz-Signature" in response["Location"]
        assert f"{award.certificate_number}.pdf" in response["Location"]


def test_the_dossier_record_links_the_certificate(api, award):
    referent = f.member(award.dossier.collectivity)
    record = as_(api, referent).get(f"/api/v1/dossiers/{award.dossier_id}/").data["record"]
    assert record["certificate"]["pdf"] == f"/api/v1/certificates/{award.certificate_number}/pdf/"
    assert record["certificate"]["verification_url"].endswith(f"/verify/{award.verification_code}/")
