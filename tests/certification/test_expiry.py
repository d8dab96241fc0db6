"""The scheduled expiry of labels whose validity has ended."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification.models import Award
from certification.schedule import expire_awards
from certification.services.history import altered_dossiers
from tests.demo import dossier_at

pytestmark = pytest.mark.django_db


def test_it_expires_a_label_whose_validity_ended(demo_data):
    ended = dossier_at("awarded", referent="niort")
    valid = dossier_at("awarded", referent="vertou")
    Award.objects.filter(dossier=ended).update(valid_until=timezone.localdate() - timedelta(days=1))

    assert expire_awards() == 1

    ended.refresh_from_db()
    valid.refresh_from_db()
    assert (ended.state, valid.state) == ("expired", "awarded")
    assert Award.objects.get(dossier=ended).status == "expired"
    last = ended.history.order_by("-id").first()
    assert (last.transition, last.actor) == ("expire", None)
    assert altered_dossiers() == []


def test_a_label_valid_today_is_kept(demo_data):
    dossier = dossier_at("awarded")
    Award.objects.filter(dossier=dossier).update(valid_until=timezone.localdate())

    assert expire_awards() == 0
    dossier.refresh_from_db()
    assert dossier.state == "awarded"


def test_a_suspended_label_expires_too(demo_data):
    dossier = dossier_at("suspended")
    Award.objects.filter(dossier=dossier).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert expire_awards() == 1
    dossier.refresh_from_db()
    assert (dossier.state, Award.objects.get(dossier=dossier).status) == ("expired", "expired")
