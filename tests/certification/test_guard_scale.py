"""The submit guard and a draft's detail read the dossier's own rows only: thousands of
other dossiers' answers and documents change neither their query count nor their plan."""

import pytest
from django.db import connection

from certification import guards
from certification.models import CriterionResponse, Dossier
from documents.models import Document
from tests import factories

pytestmark = pytest.mark.django_db

OTHERS = 400  # dossiers, each with an answer and 5 documents per criterion


def crowd(referential, by) -> None:
    """Other dossiers' rows, written in bulk: they only need to be there."""
    collectivities = [factories.CollectivityFactory.build() for _ in range(OTHERS)]
    for c in collectivities:
        c.save()
    campaign = factories.CampaignFactory(referential=referential)
    dossiers = Dossier.objects.bulk_create(
        Dossier(collectivity=c, campaign=campaign, referential=referential, created_by=by)
        for c in collectivities
    )
    criteria = list(referential.criteria.all())
    CriterionResponse.objects.bulk_create(
        CriterionResponse(dossier=d, criterion=c, answer="Oui.", updated_by=by)
        for d in dossiers for c in criteria
    )  # fmt: skip
    Document.objects.bulk_create(
        Document(dossier=d, criterion=c, filename="x.pdf", size=1, sha256="0" * 64,
                 content_type="application/pdf", key=f"k/{d.pk}/{c.pk}/{n}",
                 scan_status="clean", uploaded_by=by, version=n + 1, is_current=n == 4)
        for d in dossiers for c in criteria for n in range(5)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.fixture
def crowded_draft():
    dossier = factories.DossierFactory()
    crowd(dossier.referential, factories.UserFactory())
    return Dossier.objects.select_related("campaign").get(pk=dossier.pk)


def test_the_submit_guard_is_two_queries_whatever_the_other_dossiers(
    crowded_draft, django_assert_num_queries
):
    # The mandatory criteria with their answers and clean evidence; the files not cleared.
    with django_assert_num_queries(2):
        missing = guards.campaign_open_and_complete(crowded_draft)
    assert [m["code"] for m in missing] == ["criterion_unanswered", "evidence_missing"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_submit_guard_reads_other_dossiers_rows_by_index_only(crowded_draft):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        guards.campaign_open_and_complete(crowded_draft)
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan on documents_document" not in plan, plan
        assert "Seq Scan on certification_criterionresponse" not in plan, plan


def test_a_crowded_drafts_detail_costs_what_an_empty_ones_does(
    api, crowded_draft, django_assert_num_queries
):
    referent = factories.member(crowded_draft.collectivity)
    api.as_user(referent).get(f"/api/v1/dossiers/{crowded_draft.pk}/")  # warm the caches
    with django_assert_num_queries(6):  # the detail's 7, but for the token: force-signed in
        response = api.as_user(referent).get(f"/api/v1/dossiers/{crowded_draft.pk}/")
    assert response.status_code == 200
