"""The migration from the committee's guardian rows to the referral rule keeps what each
dossier showed the committee: referred ones keep being seen, the others do not."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from certification import roles, selectors
from certification.models import Dossier
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("certification", "0006_campaign_jury_comments_required")
AFTER = ("certification", "0007_committee_by_referral")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def migrate_to_the_end():
    """The schema the models of today read (and the next tests expect)."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture(autouse=True)
def _schema_at_the_end_after():
    yield
    migrate_to_the_end()


def test_referred_dossiers_keep_their_referral_date_and_the_rows_go():
    referred = factories.DossierFactory(state="committee_review")
    other = factories.DossierFactory(state="report_issued")
    referral = referred.history.get(transition="refer_to_committee").at
    member = factories.committee_member()

    old = migrate(BEFORE)  # as the committee saw it then: guardian rows on the referred one
    content_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="certification", model="dossier"
    )
    permission = old.get_model("auth", "Permission")
    decide, _ = permission.objects.get_or_create(
        codename="decide_dossier", content_type=content_type, defaults={"name": "Decide"}
    )
    view = permission.objects.get(codename="view_dossier", content_type=content_type)
    committee = old.get_model("auth", "Group").objects.get(name=roles.COMMITTEE_GROUP)
    rows = old.get_model("certification", "DossierGroupObjectPermission").objects
    for perm in (view, decide):
        rows.create(permission=perm, group=committee, content_object_id=referred.pk)
    migrate(AFTER)
    migrate_to_the_end()

    assert Dossier.objects.get(pk=referred.pk).referred_at == referral
    assert Dossier.objects.get(pk=other.pk).referred_at is None
    assert not rows.filter(group=committee).exists()
    assert not permission.objects.filter(codename="decide_dossier").exists()
    assert list(selectors.dossiers_visible_to(member)) == [Dossier.objects.get(pk=referred.pk)]
