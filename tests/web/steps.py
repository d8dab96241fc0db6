"""Moves a factory-built dossier along its lifecycle through the services, so that each UI
test starts from the stage it is about."""

from audits import services as audit_services
from certification.services import dossiers as dossier_services
from certification.services.transitions import perform_transition
from documents import services as document_services
from tests import factories as f
from tests.helpers import pdf


def complete(dossier, by):
    for criterion in dossier.referential.criteria.all():
        dossier_services.response_save(
            dossier=dossier, criterion_code=criterion.code, answer="Oui", self_points=10, by=by
        )
        document_services.document_upload(
            dossier=dossier, criterion_code=criterion.code, upload=pdf(), by=by
        )
    return dossier


def submitted(dossier, referent):
    complete(dossier, referent)
    return perform_transition(dossier=dossier, name="submit", by=referent)


def admissible(dossier, referent, manager=None):
    manager = manager or f.manager()
    dossier = submitted(dossier, referent)
    return perform_transition(dossier=dossier, name="declare_admissible", by=manager)


def assign(dossier, auditor, manager=None, role="lead", declare=True):
    manager = manager or f.manager()
    assignment = audit_services.assignment_create(
        dossier=dossier, auditor_username=auditor.username, role=role, by=manager
    )
    if declare:
        audit_services.assignment_declare(
            assignment=assignment, by=auditor, has_conflict=False, details=""
        )
    return assignment


def under_review(dossier, referent, auditor, manager=None):
    dossier = admissible(dossier, referent, manager)
    assign(dossier, auditor, manager)
    return perform_transition(dossier=dossier, name="start_review", by=auditor)
