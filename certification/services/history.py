from ..models import Dossier, TransitionLog


def altered_dossiers() -> list[tuple[int, str]]:
    """Recompute each dossier's hash chain in append order, and check that its last entry
    leads to the dossier's current state (which catches a removed tail). Streams the log."""
    altered: dict[int, str] = {}
    last_target: dict[int, str] = {}
    current, previous_hash = None, ""
    rows = TransitionLog.objects.order_by("dossier_id", "id").iterator(chunk_size=2000)
    for log in rows:
        if log.dossier_id != current:
            current, previous_hash = log.dossier_id, ""
        last_target[log.dossier_id] = log.target
        if log.dossier_id in altered:
            continue
        if log.previous_hash != previous_hash:
            altered[log.dossier_id] = f"entry {log.pk} does not follow the previous one"
        elif log.compute_hash() != log.hash:
            altered[log.dossier_id] = f"entry {log.pk} was changed"
        previous_hash = log.hash
    states = Dossier.objects.values_list("pk", "state").iterator(chunk_size=2000)
    for pk, state in states:
        if pk not in altered and last_target.get(pk, Dossier.State.DRAFT) != state:
            altered[pk] = f"the history does not lead to its state “{state}”"
    return sorted(altered.items())
