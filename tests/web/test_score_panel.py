"""While assessing, the auditor sees the running score against the thresholds and the
collectivity's self-assessed points; an assessment saved in place refreshes the score."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_auditor_sees_the_running_score_and_the_self_assessment(sign_in):
    dossier = f.DossierFactory(state="under_review")  # 100 points each
    dossier.responses.filter(criterion__code="A-1").update(self_points=70)
    page = sign_in(dossier.cast.auditor).get(f"/dossiers/{dossier.pk}/").content.decode()
    panel = page[page.index('id="score-panel"') :]
    assert "0 out of 1000" in panel and "0 of 2 criteria assessed" in panel
    assert "Gold 0–1000" in panel
    assert "Self-assessed by the collectivity: 70 out of 100." in page
    assert "at most 75 % of a criterion" in panel


def test_an_assessment_saved_in_place_refreshes_the_score(sign_in):
    dossier = f.DossierFactory(state="under_review")
    response = sign_in(dossier.cast.auditor).post(
        f"/dossiers/{dossier.pk}/assessments/",
        {"criterion": "A-1", "rating": "conform", "points": 80}, headers={"HX-Request": "true"},
    )  # fmt: skip
    html = response.content.decode()
    assert '<section class="card" id="score-panel"' in html and 'hx-swap-oob="true"' in html
    assert "400 out of 1000" in html and "1 of 2 criteria assessed" in html


def test_the_referent_does_not_see_the_running_score(sign_in):
    dossier = f.DossierFactory(state="under_review")
    page = sign_in(dossier.cast.referent).get(f"/dossiers/{dossier.pk}/").content.decode()
    assert 'id="score-panel"' not in page
