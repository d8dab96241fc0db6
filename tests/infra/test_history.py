"""`verify_history` recomputes the keyed chains and names the dossiers whose log was altered.
Checkpoints, key rotation and rewritten hashes: tests/certification/test_history_integrity.py."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from certification.models import TransitionLog
from certification.services.transitions import perform_transition
from tests import factories

pytestmark = pytest.mark.django_db


def verify() -> tuple[str, str]:
    """Run the command in English; return (stdout, stderr), raising CommandError like it."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command("verify_history", stdout=out, stderr=err)
    except CommandError as exc:
        exc.stderr = err.getvalue()
        raise
    return out.getvalue(), err.getvalue()


@pytest.fixture
def histories():
    """Two dossiers, each submitted then declared admissible: two log rows apiece."""
    return [factories.DossierFactory(state="admissible") for _ in range(2)]


def raw_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_intact_history_passes(histories):
    out, err = verify()
    assert "intact" in out
    assert "4 entries of 2 dossiers checked" in out
    assert err == ""


def test_the_model_refuses_to_change_a_log_row(histories):
    log = TransitionLog.objects.filter(dossier=histories[0]).first()
    log.comment = "rewritten"
    with pytest.raises(TypeError):
        log.save()
    with pytest.raises(TypeError):
        TransitionLog.objects.filter(pk=log.pk).update(comment="rewritten")
    with pytest.raises(TypeError):
        log.delete()


def test_a_row_changed_in_sql_is_caught_and_its_dossier_named(histories):
    tampered, untouched = histories
    first = TransitionLog.objects.filter(dossier=tampered).order_by("id").first()
    raw_sql(
        "UPDATE certification_transitionlog SET comment = %s WHERE id = %s",
        ["Rien à signaler.", first.pk],
    )

    with pytest.raises(CommandError) as caught:
        verify()

    assert f"dossier {tampered.pk}:" in caught.value.stderr
    assert f"dossier {untouched.pk}:" not in caught.value.stderr
    assert "1 dossier with an altered history" in str(caught.value)


def test_an_actor_changed_in_sql_is_caught(histories):
    tampered, _untouched = histories
    last = TransitionLog.objects.filter(dossier=tampered).order_by("id").last()
    raw_sql(
        "UPDATE certification_transitionlog SET actor_id = %s WHERE id = %s",
        [factories.manager().pk, last.pk],
    )

    with pytest.raises(CommandError) as caught:
        verify()

    assert f"dossier {tampered.pk}:" in caught.value.stderr


def test_deleting_the_last_row_is_caught(histories):
    tampered, untouched = histories
    last = TransitionLog.objects.filter(dossier=tampered).order_by("id").last()
    raw_sql("DELETE FROM certification_transitionlog WHERE id = %s", [last.pk])

    with pytest.raises(CommandError) as caught:
        verify()

    assert f"dossier {tampered.pk}:" in caught.value.stderr
    assert "admissible" in caught.value.stderr
    assert f"dossier {untouched.pk}:" not in caught.value.stderr


def test_deleting_a_middle_row_is_caught():
    dossier = factories.DossierFactory(state="submitted")
    cast = dossier.cast
    perform_transition(dossier=dossier, name="return_for_completion", by=cast.manager, comment="…")
    perform_transition(dossier=dossier, name="submit", by=cast.referent)
    middle = TransitionLog.objects.filter(dossier=dossier).order_by("id")[1]
    raw_sql("DELETE FROM certification_transitionlog WHERE id = %s", [middle.pk])

    with pytest.raises(CommandError) as caught:
        verify()

    assert f"dossier {dossier.pk}:" in caught.value.stderr
