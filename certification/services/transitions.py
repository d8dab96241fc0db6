"""The one entry point that changes a dossier's state.

`perform_transition` looks the transition up in the lifecycle table, locks the dossier row,
asks the policy (state, permission, guard), validates the transition's input with its form,
runs it, saves the state with the new chain head, records its effect, appends the
MAC-chained `TransitionLog` entry, and enqueues the notifications once the transaction
commits.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import guards, policy
from ..errors import Conflict, InvalidInput
from ..lifecycle import STEPS
from ..models import Dossier, TransitionLog
from ..tasks import notify_transition

SYSTEM = None  # `by=SYSTEM`: the scheduler, for transitions no person runs (expire)


@transaction.atomic
def perform_transition(*, dossier: Dossier, name: str, by, comment: str = "", data=None) -> Dossier:
    step = STEPS.get(name)
    if step is None:
        raise InvalidInput(_("Unknown transition “%s”.") % name)
    # The row lock makes a concurrent attempt wait, then see the new state and fail.
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("campaign__scheme")
        .get(pk=dossier.pk)
    )
    source = dossier.state
    verdict = policy.may_run(by, dossier, step)
    if not verdict and not verdict.missing:  # not from this state, or not this user's
        verdict.enforce()
    data = dict(data.items()) if data else {}  # a QueryDict's items are its last values
    if comment:
        data["comment"] = comment
    form = step.bind(dossier, data)
    if not form.is_valid() and (errors := form.invalid()):
        raise InvalidInput(" ".join(m for ms in errors.values() for m in ms), errors=errors)
    missing = verdict.missing + form.missing()
    if missing:
        raise Conflict(guards.describe(missing), missing=missing)

    getattr(dossier, name)()
    log = TransitionLog(
        dossier=dossier, transition=name, source=source, target=dossier.state, actor=by,
        at=timezone.now(), comment=form.cleaned_data["comment"],
        previous_hash=dossier.history_head,
    )  # fmt: skip
    log.hash = dossier.history_head = log.compute_hash()
    if step.effect:  # before the save: an effect may set a field of the dossier
        step.effect(dossier=dossier, by=by, **form.inputs())
    dossier.save(update_fields=["state", "history_head", "submitted_at", "updated_at"])
    guards.forget(dossier)
    log.save()
    notify_transition.delay_on_commit(log.pk)
    return dossier
