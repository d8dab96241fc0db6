"""DELETE /api/v1/assignments/{id}/: a manager takes an auditor off a dossier, e.g. after a
declared conflict of interest, so that another auditor can lead the review. Who reaches it
and the shape of its answers; the rules: tests/audits/test_assignments.py."""

import pytest

from audits.models import Assignment
from tests.api.calls import as_
from tests.demo import dossier_at

pytestmark = pytest.mark.django_db


def assign(api, dossier, auditor, role="lead"):
    response = as_(api, "gestionnaire").post(
        f"/api/v1/dossiers/{dossier.pk}/assignments/",
        {"auditor": auditor, "role": role},
        format="json",
    )
    assert response.status_code == 201, response.data
    return response.data["id"]


def declare(api, auditor, assignment_id, has_conflict, details=""):
    response = as_(api, auditor).post(
        f"/api/v1/assignments/{assignment_id}/declare/",
        {"has_conflict": has_conflict, "details": details},
        format="json",
    )
    assert response.status_code == 200, response.data


def test_a_manager_ends_an_assignment_after_a_declared_conflict(api):
    dossier = dossier_at("admissible")
    first = assign(api, dossier, "auditeur")
    declare(api, "auditeur", first, True, "J'ai travaillé pour la ville en 2024.")

    response = as_(api, "gestionnaire").delete(f"/api/v1/assignments/{first}/")

    assert response.status_code == 204
    assert Assignment.objects.get(pk=first).ended_at is not None
    assert assign(api, dossier, "auditeur2")  # another may lead now


def test_an_ended_auditor_loses_access_to_the_dossier(api):
    dossier = dossier_at("admissible")
    assignment = assign(api, dossier, "auditeur")
    declare(api, "auditeur", assignment, False)
    assert as_(api, "auditeur").get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 200

    assert as_(api, "gestionnaire").delete(f"/api/v1/assignments/{assignment}/").status_code == 204

    assert as_(api, "auditeur").get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 404
    assert as_(api, "auditeur").get("/api/v1/assignments/").data["count"] == 0


def test_it_refuses_the_auditor_themself(api):
    dossier = dossier_at("admissible")
    assignment = assign(api, dossier, "auditeur")

    response = as_(api, "auditeur").delete(f"/api/v1/assignments/{assignment}/")

    assert response.status_code == 403
    assert Assignment.objects.get(pk=assignment).ended_at is None


def test_it_hides_the_assignment_from_others(api, stranger):
    dossier = dossier_at("admissible")
    assignment = assign(api, dossier, "auditeur")

    for who in ("auditeur2", "niort", "comite"):
        assert as_(api, who).delete(f"/api/v1/assignments/{assignment}/").status_code == 404
    api.force_authenticate(stranger)
    assert api.delete(f"/api/v1/assignments/{assignment}/").status_code == 404
    api.force_authenticate(None)
    assert api.delete(f"/api/v1/assignments/{assignment}/").status_code == 401
    assert Assignment.objects.get(pk=assignment).ended_at is None


def test_it_refuses_to_end_an_assignment_twice_or_after_the_review(api):
    dossier = dossier_at("report_issued")
    assignment = Assignment.objects.get(dossier=dossier)

    response = as_(api, "gestionnaire").delete(f"/api/v1/assignments/{assignment.pk}/")

    assert response.status_code == 409
    assert "no longer" in response.data["detail"]
    assignment.refresh_from_db()
    assert assignment.ended_at is None
