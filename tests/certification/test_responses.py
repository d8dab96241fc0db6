"""`response_save`: the collectivity's members answer each criterion of a draft, with
self-assessed points from 0 to the criterion's maximum."""

import pytest

from certification.errors import Conflict, InvalidInput, NotAllowed
from certification.models import CriterionResponse
from certification.services.dossiers import response_save
from tests import factories as f

pytestmark = pytest.mark.django_db


def answer(dossier, by, code="A-1", text="Une stratégie adoptée.", points=None):
    return response_save(
        dossier=dossier, criterion_code=code, answer=text, self_points=points, by=by
    )


@pytest.mark.parametrize("role", ["referent", "contributor"])
def test_a_referent_or_a_contributor_answers_and_revises_a_criterion(role):
    dossier = f.DossierFactory()
    member = f.member(dossier.collectivity, role)

    answer(dossier, member, points=80)
    answer(dossier, member, text="Révisée.", points=None)

    saved = CriterionResponse.objects.get()
    assert (saved.answer, saved.self_points, saved.updated_by) == ("Révisée.", None, member)


@pytest.mark.parametrize("who", ["viewer", "manager", "stranger"])
def test_it_refuses_anyone_who_may_not_edit_the_dossier(who):
    dossier = f.DossierFactory(state="draft")
    with pytest.raises(NotAllowed):
        answer(dossier, f.someone(dossier, who))
    assert not CriterionResponse.objects.exists()


def test_it_refuses_the_assigned_auditor():
    dossier = f.DossierFactory(state="under_review")
    count = CriterionResponse.objects.count()
    with pytest.raises(NotAllowed):
        answer(dossier, dossier.cast.auditor)
    assert CriterionResponse.objects.count() == count


def test_it_refuses_an_answer_once_the_dossier_is_submitted():
    dossier = f.DossierFactory(state="submitted")
    before = list(CriterionResponse.objects.values_list("answer", flat=True))
    with pytest.raises(Conflict):
        answer(dossier, dossier.cast.referent, text="Changée après coup.")
    assert list(CriterionResponse.objects.values_list("answer", flat=True)) == before


@pytest.mark.parametrize("code", ["XXX-9", "B-1"])  # B-1: a criterion of another referential
def test_it_refuses_a_criterion_not_in_the_dossiers_referential(code):
    f.ReferentialFactory(criteria=[("B-1", True)])
    dossier = f.DossierFactory()
    with pytest.raises(InvalidInput):
        answer(dossier, f.member(dossier.collectivity), code=code)
    assert not CriterionResponse.objects.exists()


@pytest.mark.parametrize("points", [101, -1])
def test_it_refuses_points_outside_zero_to_the_maximum(points):
    dossier = f.DossierFactory()
    with pytest.raises(InvalidInput):
        answer(dossier, f.member(dossier.collectivity), points=points)
    assert not CriterionResponse.objects.exists()


@pytest.mark.parametrize("points", [0, 100])
def test_it_accepts_zero_and_the_maximum(points):
    dossier = f.DossierFactory()
    assert answer(dossier, f.member(dossier.collectivity), points=points).self_points == points
