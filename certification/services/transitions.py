"""The one entry point that changes a dossier's state.

`perform_transition` looks the transition up in the lifecycle table, asks the policy
(state, permission, guard) about the dossier as the caller read it, validates the
transition's input with its form, and writes the new state with the new chain head (and the
date the step stamps) only if the row still holds what was read (else it reads it again and
checks again: two concurrent attempts never both succeed). Then it records the effect,
appends the MAC-chained `TransitionLog` entry, and enqueues the notifications once the
transaction commits.
"""

import copy

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import guards, policy, roles
from ..errors import Conflict, DomainError, InvalidInput
from ..lifecycle import STEPS
from ..models import Dossier, TransitionLog
from ..tasks import notify_transition

SYSTEM = None  # `by=SYSTEM`: the scheduler, for transitions no person runs (expire)


@transaction.atomic
def perform_transition(*, dossier: Dossier, name: str, by, comment: str = "", data=None) -> Dossier:
    step = STEPS.get(name)
    if step is None:
        raise InvalidInput(_("Unknown transition “%s”.") % name)
    data = data.copy() if data else {}  # a QueryDict stays one: a list field keeps its values
    if comment:
        data["comment"] = comment
    # Work on a copy: the caller's dossier stays as it was read if the transition is refused.
    fresh = dossier._state.adding
    dossier = _read(dossier.pk) if fresh else copy.copy(dossier)
    while True:
        try:
            prepared = _prepare(dossier, step, by, data)
        except DomainError:
            if fresh:
                raise
            prepared = None  # the caller's copy may be old: ask again about the row as it is
        if prepared and _move(dossier, step, prepared[1]):
            break
        if fresh:  # read just now, and moved meanwhile by another transition
            raise Conflict(_("The dossier changed meanwhile: reload it and try again."))
        dossier, fresh = _read(dossier.pk), True
    form, log = prepared
    if step.effect:
        step.effect(dossier=dossier, by=by, **form.inputs())
        roles.forget_permissions(dossier)  # an effect may grant some
    log.save()
    notify_transition.delay_on_commit(log.pk)
    return dossier


def _read(pk) -> Dossier:
    return Dossier.objects.select_related("campaign__scheme").get(pk=pk)


def _prepare(dossier: Dossier, step, by, data: dict):
    """Check the transition against `dossier` as read, and run it in memory: its form and
    its log entry, chained to the dossier's head. Raises what the user is told."""
    verdict = policy.may_run(by, dossier, step)
    if not verdict and not verdict.missing:  # not from this state, or not this user's
        verdict.enforce()
    form = step.bind(dossier, data)
    if not form.is_valid() and (errors := form.invalid()):
        raise InvalidInput(" ".join(m for ms in errors.values() for m in ms), errors=errors)
    missing = verdict.missing + form.missing()
    if missing:
        raise Conflict(guards.describe(missing), missing=missing)
    source = dossier.state
    getattr(dossier, step.name)()
    log = TransitionLog(
        dossier=dossier, transition=step.name, source=source, target=dossier.state, actor=by,
        at=timezone.now(), comment=form.cleaned_data["comment"],
        previous_hash=dossier.history_head,
    )  # fmt: skip
    log.hash = log.compute_hash()
    return form, log


def _move(dossier: Dossier, step, log: TransitionLog) -> bool:
    """Write the new state, chain head and stamped date, if the row still holds what was
    read: the database makes a concurrent transition wait for this one, then find the row
    changed (no lock is taken to read). False when it changed."""
    stamped = {step.stamp: log.at} if step.stamp else {}
    moved = Dossier.objects.filter(
        pk=dossier.pk, state=log.source, history_head=log.previous_hash
    ).update(state=log.target, history_head=log.hash, updated_at=log.at, **stamped)
    if moved:
        dossier.history_head = log.hash
        for name, value in stamped.items():
            setattr(dossier, name, value)
        guards.forget(dossier)
    return bool(moved)
