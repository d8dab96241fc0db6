"""Bring a dossier to any state of its lifecycle through the real services: the one way the
tests do it.

How it works, step by step:

1. **The path** is the shortest one in the model's own graph: `Dossier.state`'s transitions
   as django-fsm describes them (name, source, target), searched breadth first. A step of the
   other kind of scheme (`certification.lifecycle.STEPS[name].kind`) is not taken, nor one no
   person may run (the scheduler's), nor `withdraw` unless the dossier is to be withdrawn.
2. **What a step's guard wants** is read from its guards before running it: the `missing`
   entries a refused run's `Conflict` would carry (read first, because the lead auditor is
   only entitled to start the review once assigned, and a run by anyone else is refused for
   who they are before its guard is asked). Each entry is met by the service that provides
   it: an answer, an evidence file uploaded to the S3 server and scanned by clamd (the scan
   a worker would run, called here), a lead auditor assigned who
   declares no conflict, an assessment. What no service can provide (a closed campaign, a
   declared conflict, an open major finding) stops the walk with the entry.
3. **Who runs it** is the first of the cast (referent, auditor, committee member, manager)
   whom the transition's permission admits (`certification.roles`).
4. **Its input** fills the transition's form (`STEPS[name].bind(dossier)`): a text in each
   required text box, a recommendation to award (at the report's level), the
   referential's first criterion as the one an information request reopens.
5. `perform_transition` runs it, as a person would.

`majors` names the criteria the auditor rates as major nonconformities (the others are rated
conform, with full points). Nothing here names a transition: the table and the model do.
"""

from collections import deque
from dataclasses import dataclass

from django import forms

from audits import services as audit_services
from certification.forms import CriteriaField, LevelChoiceField
from certification.lifecycle import STEPS
from certification.models import Dossier
from certification.roles import system_only
from certification.services import dossiers as dossier_services
from certification.services.transitions import perform_transition
from documents import services as document_services
from tests.helpers import pdf

TEXT = "Rédigé pour le test."
WITHDRAWN = Dossier.State.WITHDRAWN


@dataclass(frozen=True)
class Cast:
    """Who acts on the dossier, in the order they are asked to run a step."""

    referent: object
    auditor: object
    committee: object
    manager: object

    def __iter__(self):
        return iter(vars(self).values())


class WalkError(AssertionError):
    """The walk cannot reach the state asked for: the message says why."""


def walk(dossier: Dossier, state: str, cast: Cast, *, majors=()) -> Dossier:
    """`dossier` brought to `state`: the dossier as the last step left it, with `.cast`."""
    for transition in path(dossier, state):
        dossier = _take(dossier, transition, cast, majors)
    dossier.cast = cast
    return dossier


def ready_for(dossier: Dossier, state: str, cast: Cast, *, majors=()) -> Dossier:
    """`dossier` one step short of `state`, with everything that last step's guard wants
    (e.g. `ready_for(d, "submitted", cast)`: a draft answered and backed by evidence)."""
    steps = path(dossier, state)
    if not steps:
        raise WalkError(f"The dossier is already {state}.")
    for transition in steps[:-1]:
        dossier = _take(dossier, transition, cast, majors)
    _meet_guard(dossier, steps[-1], cast, majors)
    dossier.cast = cast
    return dossier


def path(dossier: Dossier, state: str) -> list:
    """The shortest list of django-fsm transitions from the dossier's state to `state`."""
    routes = {dossier.state: []}
    queue = deque([dossier.state])
    while queue:
        source = queue.popleft()
        if source == state:
            return routes[source]
        for transition in _walkable(dossier, source, state):
            if transition.target not in routes:
                routes[transition.target] = routes[source] + [transition]
                queue.append(transition.target)
    raise WalkError(f"No path from {dossier.state} to {state} for a {_kind(dossier)} dossier.")


def _walkable(dossier: Dossier, source: str, target: str) -> list:
    return [
        t
        for t in Dossier._meta.get_field("state").get_all_transitions(Dossier)
        if t.source == source
        and STEPS[t.name].kind in (None, _kind(dossier))
        and t.permission is not system_only
        and (t.target != WITHDRAWN or target == WITHDRAWN)
    ]


def _kind(dossier: Dossier) -> str:
    return dossier.campaign.scheme.kind


def _take(dossier: Dossier, transition, cast: Cast, majors) -> Dossier:
    _meet_guard(dossier, transition, cast, majors)
    step = STEPS[transition.name]
    return perform_transition(
        dossier=dossier, name=step.name, by=_actor(dossier, transition, cast),
        data=_inputs(dossier, step),
    )  # fmt: skip


# -- 2. What the guard wants, met by the service that provides it ---------------------------


def _meet_guard(dossier: Dossier, transition, cast: Cast, majors) -> None:
    """Each condition of the transition carries its guard (`certification.guards`)."""
    missing = [entry for check in transition.conditions for entry in check.guard(dossier)]
    for entry in missing:
        meet = MEET.get(entry["code"])
        if meet is None:
            raise WalkError(f"{transition.name}: no service meets {entry}.")
        meet(dossier, entry, cast, majors)


def _answer(dossier, entry, cast, majors) -> None:
    dossier_services.response_save(
        dossier=dossier, criterion_code=entry["criterion"], answer=TEXT, self_points=None,
        by=cast.referent,
    )  # fmt: skip


def _upload(dossier, entry, cast, majors) -> None:
    code = entry["criterion"]
    document = document_services.document_upload(
        dossier=dossier, criterion_code=code, upload=pdf(f"{code}.pdf"), by=cast.referent
    )
    _scanned(document)


def _scan(dossier, entry, cast, majors) -> None:
    _scanned(dossier.documents.get(pk=entry["document"]))


def _scanned(document) -> None:
    """The scan a worker runs after the upload, here and now: the file must come out clean."""
    document = document_services.document_scan(document=document)
    if document.scan_status != "clean":
        raise WalkError(f"{document.filename} is {document.scan_status} after its scan.")


def _assign_lead(dossier, entry, cast, majors) -> None:
    audit_services.assignment_create(
        dossier=dossier, auditor_username=cast.auditor.username, role="lead", by=cast.manager
    )
    _declare(dossier, entry, cast, majors)


def _declare(dossier, entry, cast, majors) -> None:
    lead = dossier.assignments.get(role="lead", ended_at__isnull=True)
    audit_services.assignment_declare(
        assignment=lead, by=lead.auditor, has_conflict=False, details=""
    )


def _assess(dossier, entry, cast, majors) -> None:
    criterion = dossier.referential.criteria.get(code=entry["criterion"])
    major = criterion.code in majors
    audit_services.assessment_record(
        dossier=dossier, criterion_code=criterion.code,
        rating="major_nc" if major else "conform", points=0 if major else criterion.max_points,
        comment="Non conforme." if major else "", by=cast.auditor,
    )  # fmt: skip


MEET = {
    "criterion_unanswered": _answer,
    "evidence_missing": _upload,
    "evidence_not_clean": _scan,
    "lead_auditor_missing": _assign_lead,
    "declaration_missing": _declare,
    "criterion_unassessed": _assess,
}


# -- 3. Who runs it -------------------------------------------------------------------------


def _actor(dossier: Dossier, transition, cast: Cast):
    dossier = Dossier.objects.get(pk=dossier.pk)  # no permissions cached from before the guard
    for person in cast:
        if transition.has_perm(dossier, person):
            return person
    raise WalkError(f"{transition.name}: no one in the cast may run it.")


# -- 4. Its input ---------------------------------------------------------------------------


def _inputs(dossier: Dossier, step) -> dict:
    """A value for each required field, and a choice (recommendation, level) wherever the
    form offers one."""
    fields = step.bind(dossier).fields
    return {
        name: _value(dossier, field)
        for name, field in fields.items()
        if field.required or isinstance(field, forms.ChoiceField | CriteriaField)
    }


def _value(dossier: Dossier, field: forms.Field) -> str | list[str]:
    if isinstance(field, CriteriaField):  # an information request reopens the first criterion
        return [field.queryset.order_by("order", "code").first().code]
    if isinstance(field, LevelChoiceField):  # the committee follows the report's level
        return ""
    if isinstance(field, forms.ChoiceField):
        return next(value for value, _label in field.choices if value)  # award comes first
    return TEXT


def audited_by(member, state: str = "committee_review") -> Dossier:
    """A dossier on which `member` (a committee member who is also an auditor) was
    co-auditor, brought to `state`: one whose decision they may not take."""
    from tests import factories as f  # the factories walk their dossiers with this module

    dossier = f.DossierFactory(state="under_review")
    assignment = audit_services.assignment_create(
        dossier=dossier, auditor_username=member.username, role="co", by=dossier.cast.manager
    )
    audit_services.assignment_declare(
        assignment=assignment, by=member, has_conflict=False, details=""
    )
    return walk(dossier, state, dossier.cast)
