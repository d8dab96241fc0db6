"""Walk a dossier to a given state with the demo's accounts, through the services."""

from django.contrib.auth import get_user_model

from audits import services as audit_services
from certification.models import Campaign, Collectivity, Dossier, TransitionLog
from certification.services import dossiers as dossier_services
from certification.services.transitions import perform_transition
from documents import services as document_services
from tests.helpers import pdf

# The path to each state, as (transition, username, data) steps after `complete`.
ROUTES = {
    "draft": [],
    "submitted": ["submit"],
    "inadmissible": ["submit", "declare_inadmissible"],
    "admissible": ["submit", "declare_admissible"],
    "under_review": ["submit", "declare_admissible", "assign", "start_review"],
    "information_requested": [
        "submit", "declare_admissible", "assign", "start_review", "request_information",
    ],
    "report_issued": ["submit", "declare_admissible", "assign", "start_review", "assess",
                      "issue_report"],
    "corrective_actions": ["submit", "declare_admissible", "assign", "start_review", "assess",
                           "issue_report", "request_corrective_actions"],
    "committee_review": ["submit", "declare_admissible", "assign", "start_review", "assess",
                         "issue_report", "refer_to_committee"],
    "awarded": ["submit", "declare_admissible", "assign", "start_review", "assess",
                "issue_report", "refer_to_committee", "award"],
    "refused": ["submit", "declare_admissible", "assign", "start_review", "assess",
                "issue_report", "refer_to_committee", "refuse"],
    "suspended": ["submit", "declare_admissible", "assign", "start_review", "assess",
                  "issue_report", "refer_to_committee", "award", "suspend"],
    "revoked": ["submit", "declare_admissible", "assign", "start_review", "assess",
                "issue_report", "refer_to_committee", "award", "revoke"],
    "withdrawn": ["withdraw"],
}  # fmt: skip

# Who runs each transition on the way, and with what input.
ACTORS = {
    "submit": ("referent", {}),
    "withdraw": ("referent", {}),
    "declare_inadmissible": ("gestionnaire", {"comment": "Hors périmètre."}),
    "declare_admissible": ("gestionnaire", {}),
    "start_review": ("auditeur", {}),
    "request_information": ("auditeur", {"question": "Le rapport 2025 ?"}),
    "issue_report": ("auditeur", {"recommendation": "award", "level": "avance"}),
    "request_corrective_actions": ("auditeur", {}),
    "refer_to_committee": ("gestionnaire", {}),
    "award": ("comite", {}),
    "refuse": ("comite", {"comment": "Démarche insuffisante."}),
    "suspend": ("comite", {"comment": "Audit de surveillance manqué."}),
    "revoke": ("comite", {"comment": "Manquement grave."}),
}


def user(username: str):
    return get_user_model().objects.get(username=username)


def label_campaign() -> Campaign:
    return Campaign.objects.get(scheme__code="label-performance-publique")


def trophy_campaign() -> Campaign:
    return Campaign.objects.get(scheme__code="trophees-performance-publique")


def collectivity_of(username: str) -> Collectivity:
    return Collectivity.objects.get(memberships__user__username=username)


def complete(dossier: Dossier, by) -> None:
    """Answer every criterion and back each mandatory one with a clean PDF."""
    for criterion in dossier.referential.criteria.all():
        dossier_services.response_save(
            dossier=dossier,
            criterion_code=criterion.code,
            answer=f"Réponse {criterion.code}",
            self_points=0,
            by=by,
        )
        if criterion.mandatory:
            document_services.document_upload(
                dossier=dossier,
                criterion_code=criterion.code,
                upload=pdf(f"{criterion.code}.pdf"),
                by=by,
            )


def assess(dossier: Dossier, by, majors=()) -> None:
    for criterion in dossier.referential.criteria.all():
        major = criterion.code in majors
        audit_services.assessment_record(
            dossier=dossier,
            criterion_code=criterion.code,
            rating="major_nc" if major else "conform",
            points=0 if major else criterion.max_points,
            comment="Non conforme." if major else "",
            by=by,
        )


def dossier_at(
    state: str, *, referent: str = "niort", majors=(), campaign=None, category: str | None = None
) -> Dossier:
    """A demo dossier of `referent`'s collectivity walked to `state`; `majors` are the
    criterion codes the auditor rates as major nonconformities."""
    by = user(referent)
    dossier = dossier_services.dossier_create(
        collectivity=collectivity_of(referent),
        campaign=campaign or label_campaign(),
        category_code=category,
        by=by,
    )
    steps = ROUTES[state]
    if "submit" in steps:
        complete(dossier, by)
    for step in steps:
        if step == "assign":
            assignment = audit_services.assignment_create(
                dossier=dossier, auditor_username="auditeur", role="lead", by=user("gestionnaire")
            )
            audit_services.assignment_declare(
                assignment=assignment, by=user("auditeur"), has_conflict=False, details=""
            )
        elif step == "assess":
            assess(dossier, user("auditeur"), majors)
        else:
            actor, data = ACTORS[step]
            data = dict(data)
            comment = data.pop("comment", "")
            dossier = perform_transition(
                dossier=dossier,
                name=step,
                by=by if actor == "referent" else user(actor),
                comment=comment,
                data=data,
            )
    dossier.refresh_from_db()
    assert dossier.state == state
    return dossier


def snapshot(dossier: Dossier) -> tuple:
    """What a refused transition must leave as it was."""
    dossier.refresh_from_db()
    return dossier.state, TransitionLog.objects.filter(dossier=dossier).count()


def as_(api, username_or_user):
    """The API client signed in as a demo account (a username) or any user."""
    if isinstance(username_or_user, str):
        username_or_user = user(username_or_user)
    return api.as_user(username_or_user)


def run(api, who, dossier, name, **data):
    """POST a transition as `who`; the response."""
    return as_(api, who).post(
        f"/api/v1/dossiers/{dossier.pk}/transitions/{name}/", data, format="json"
    )


def anonymous(api):
    """The API client signed out (the `api` fixture is one client for the whole test)."""
    return api.as_user(None)
