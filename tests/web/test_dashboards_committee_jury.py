"""Committee members see the dossiers awaiting their decision (never one they audited);
jurors see how many entries await their score, with the link to their jury pages."""

import pytest
from django.utils.timezone import localtime

from juries import services as jury_services
from tests import factories as f
from tests.juries.conftest import jury_with_entries

pytestmark = pytest.mark.django_db


def section(page: str, title_id: str) -> str:
    start = page.index(f'id="{title_id}"')
    return page[start : page.index("</section>", start)]


def test_a_committee_member_sees_what_awaits_their_decision(sign_in):
    dossier = f.DossierFactory(state="committee_review")
    waiting = f.DossierFactory(state="report_issued", committee=dossier.cast.committee)
    page = sign_in(dossier.cast.committee).get("/").content.decode()
    decide = section(page, "decide-title")
    assert f'href="/dossiers/{dossier.pk}/"' in decide
    assert f"/dossiers/{waiting.pk}/" not in decide
    assert f"referred on {localtime(dossier.referred_at):%m/%d/%Y}" in decide  # English


def test_a_committee_member_who_audited_the_dossier_is_not_asked_to_decide_it(sign_in):
    auditor = f.in_group(f.auditor(), "certification-committee")
    dossier = f.DossierFactory(state="committee_review", auditor=auditor)
    page = sign_in(auditor).get("/").content.decode()
    assert f'href="/dossiers/{dossier.pk}/"' not in section(page, "decide-title")
    assert "Nothing awaits your decision." in page


def test_others_see_no_decision_section(sign_in):
    dossier = f.DossierFactory(state="committee_review")
    for who in (dossier.cast.referent, dossier.cast.auditor, dossier.cast.manager):
        assert 'id="decide-title"' not in sign_in(who).get("/").content.decode()


def test_a_juror_sees_how_many_entries_await_their_score(sign_in):
    _jury, entries, people, _manager = jury_with_entries(["Xanten", "Yport"])
    jury_services.declare(dossier=entries["Xanten"], by=people["neutral"], has_conflict=True,
                          reason="Ancien élu.")  # fmt: skip
    page = sign_in(people["neutral"]).get("/").content.decode()
    jury = section(page, "jury-title")
    assert '<a href="/jury/">1 entry awaits your score</a>' in jury
    assert "of 2 entries" in jury


def test_someone_off_any_jury_sees_no_jury_section(sign_in):
    jury_with_entries(["Xanten"])
    assert 'id="jury-title"' not in sign_in(f.UserFactory()).get("/").content.decode()
