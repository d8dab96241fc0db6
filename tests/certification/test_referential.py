"""A published referential never changes: dossiers keep the version they started on."""

import pytest
from django.core.exceptions import ValidationError

from certification.models import Chapter, Criterion
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_refuses_to_change_a_criterion_of_a_published_referential():
    referential = factories.ReferentialFactory()
    criterion = referential.criteria.get(code="A-1")
    criterion.max_points = 999

    with pytest.raises(ValidationError):
        criterion.save()
    assert Criterion.objects.get(pk=criterion.pk).max_points == 100


def test_it_refuses_to_add_a_chapter_to_a_published_referential():
    referential = factories.ReferentialFactory()
    with pytest.raises(ValidationError):
        Chapter.objects.create(referential=referential, code="B", title="B")
    assert referential.chapters.count() == 1


def test_a_draft_referential_can_be_edited():
    referential = factories.ReferentialFactory()
    referential.published_at = None
    referential.save(update_fields=["published_at"])
    criterion = referential.criteria.get(code="A-1")
    criterion.max_points = 120
    criterion.save()
    assert Criterion.objects.get(pk=criterion.pk).max_points == 120
