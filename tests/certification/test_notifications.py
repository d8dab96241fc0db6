"""Who hears of what: every step to the referents and auditors, the next move to whoever
must make it. (The delivery through a real worker: tests/infra/test_notifications.py.)"""

import pytest
from django.core import mail

from audits.tasks import notify_assignment
from certification.services import notifications
from tests.demo import dossier_at

pytestmark = pytest.mark.django_db


def recipients(dossier) -> list[str]:
    return notifications.recipients_for(dossier.history.order_by("-id").first())


def test_a_submission_reaches_the_referent_and_the_managers(demo_data):
    dossier = dossier_at("submitted")
    assert recipients(dossier) == ["gestionnaire@demo.labelflow.fr", "niort@demo.labelflow.fr"]


def test_a_referral_reaches_the_committee_and_the_auditor(demo_data):
    dossier = dossier_at("committee_review")
    assert recipients(dossier) == [
        "auditeur@demo.labelflow.fr",
        "comite@demo.labelflow.fr",
        "niort@demo.labelflow.fr",
    ]


def test_other_steps_reach_the_referent_and_the_auditor_only(demo_data):
    dossier = dossier_at("under_review")
    assert recipients(dossier) == ["auditeur@demo.labelflow.fr", "niort@demo.labelflow.fr"]


def test_the_mail_names_the_dossier_and_the_new_state(demo_data):
    dossier = dossier_at("submitted")
    mail.outbox.clear()
    notifications.notify_transition(dossier.history.order_by("-id").first())
    assert len(mail.outbox) == 2
    assert "Niort" in mail.outbox[0].subject
    assert "Déposé" in mail.outbox[0].subject


def test_an_assigned_auditor_is_told_to_declare(demo_data):
    dossier = dossier_at("under_review")
    assignment = dossier.assignments.get()
    mail.outbox.clear()

    assert notify_assignment(assignment.pk) == 1

    assert mail.outbox[0].to == ["auditeur@demo.labelflow.fr"]
    assert "Niort" in mail.outbox[0].body
