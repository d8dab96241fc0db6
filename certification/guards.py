"""Guards on a dossier's own data. Each returns what is missing (empty when the transition
may run), one entry per thing to fix, so that a client can act on it without parsing
sentences: `{"code": "criterion_unanswered", "criterion": "ENV-1", "detail": "…"}`.

Each reads the dossier's own rows only, never an aggregate over other dossiers' rows."""

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Entries of one code about several criteria read better as one sentence.
GROUPED = {
    "criterion_unanswered": gettext_lazy("Mandatory criteria without an answer: %s."),
    "evidence_missing": gettext_lazy("Mandatory criteria without clean evidence: %s."),
    "criterion_unassessed": gettext_lazy("Criteria not assessed yet: %s."),
}


def missing(code: str, detail: str, **about) -> dict:
    return {"code": code, **about, "detail": detail}


def describe(entries: list[dict]) -> str:
    """What a person reads."""
    return " ".join(sentences(entries))


def sentences(entries: list[dict]) -> list[str]:
    """One sentence per entry, except that entries of a grouped code make one sentence."""
    sentences, grouped = [], {}
    for entry in entries:
        if entry["code"] in GROUPED and "criterion" in entry:
            if entry["code"] not in grouped:
                grouped[entry["code"]] = []
                sentences.append(entry["code"])
            grouped[entry["code"]].append(entry["criterion"])
        else:
            sentences.append(entry["detail"])
    return [str(GROUPED[s]) % ", ".join(grouped[s]) if s in grouped else s for s in sentences]


# The submit guard runs on every submission and for every draft's page (its button's
# state): written as SQL, each part costs one round trip and no query building (the ORM's
# versions, with their two correlated subqueries, spent ten times longer building than running).
# Each reads this dossier's rows by index, whatever the other dossiers hold.
UNSUPPORTED_CRITERIA = """
    SELECT c.code,
           NOT EXISTS (SELECT 1 FROM {responses} r WHERE r.dossier_id = %s
                          AND r.criterion_id = c.id AND r.answer <> ''),
           NOT EXISTS (SELECT 1 FROM {documents} d WHERE d.dossier_id = %s
                          AND d.criterion_id = c.id AND d.is_current AND d.scan_status = %s)
      FROM {criteria} c
     WHERE c.referential_id = %s AND c.mandatory
     ORDER BY c."order", c.code
"""
UNCLEARED_FILES = """
    SELECT d.id, d.filename, d.scan_status, c.code
      FROM {documents} d JOIN {criteria} c ON c.id = d.criterion_id
     WHERE d.dossier_id = %s AND d.is_current AND d.scan_status <> %s
     ORDER BY c."order", c.code, d.id
"""


def campaign_open_and_complete(dossier) -> list[dict]:
    from documents.models import Document  # documents' models depend on certification's

    from .models import Criterion, CriterionResponse  # the models import these guards

    problems = []
    if not dossier.campaign.is_open():
        problems.append(missing("campaign_closed", _("The campaign is not open.")))
    sql = UNSUPPORTED_CRITERIA.format(
        responses=CriterionResponse._meta.db_table, documents=Document._meta.db_table,
        criteria=Criterion._meta.db_table,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [dossier.pk, dossier.pk, Document.ScanStatus.CLEAN,
                             dossier.referential_id])  # fmt: skip
        mandatory = cursor.fetchall()
    problems += [
        missing("criterion_unanswered", _("%s has no answer.") % code, criterion=code)
        for code, unanswered, _unbacked in mandatory
        if unanswered
    ]
    problems += [
        missing("evidence_missing", _("%s has no clean evidence.") % code, criterion=code)
        for code, _unanswered, unbacked in mandatory
        if unbacked
    ]
    return problems + evidence_clean(dossier)


def evidence_clean(dossier) -> list[dict]:
    """Every current file of the dossier is scanned and clean: one entry per file that is
    not (waiting for its scan, quarantined, failed or never scanned), naming it."""
    from documents.models import Document

    from .models import Criterion

    sql = UNCLEARED_FILES.format(documents=Document._meta.db_table,
                                 criteria=Criterion._meta.db_table)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [dossier.pk, Document.ScanStatus.CLEAN])
        files = cursor.fetchall()
    return [
        missing(
            "evidence_not_clean",
            _("“%(file)s” (%(criterion)s) is not cleared by the virus scan: %(status)s.")
            % {
                "file": filename,
                "criterion": code,
                "status": Document.ScanStatus(status).label.lower(),
            },
            criterion=code,
            document=pk,
        )
        for pk, filename, status, code in files
    ]


def conflict_of_interest_declared(dossier) -> list[dict]:
    lead = dossier.assignments.filter(role="lead", ended_at__isnull=True).first()
    if lead is None:
        return [missing("lead_auditor_missing", _("No lead auditor is assigned."))]
    if lead.declared_at is None:
        return [
            missing(
                "declaration_missing",
                _("The lead auditor has not declared their conflicts of interest."),
            )
        ]
    if lead.has_conflict:
        return [
            missing("conflict_of_interest", _("The lead auditor declared a conflict of interest."))
        ]
    return []


def every_criterion_assessed(dossier) -> list[dict]:
    assessed = dossier.assessments.values("criterion_id")
    from .models import Criterion

    codes = (
        Criterion.objects.filter(referential_id=dossier.referential_id)
        .exclude(pk__in=assessed)
        .order_by("order", "code")
        .values_list("code", flat=True)
    )
    return [
        missing("criterion_unassessed", _("%s is not assessed yet.") % code, criterion=code)
        for code in codes
    ]


def _open_major_findings(dossier):
    return dossier.findings.filter(severity="major", status="open")


def open_major_findings(dossier) -> list[dict]:
    if not _open_major_findings(dossier).exists():
        return [missing("no_major_finding", _("There is no open major finding."))]
    return []


def no_open_major_finding(dossier) -> list[dict]:
    """Each open major finding, saying where it stands and who must act: the auditor when a
    corrective action awaits their review, otherwise a new plan is to be requested."""
    findings = (
        _open_major_findings(dossier)
        .select_related("criterion")
        .prefetch_related("corrective_actions")
        .order_by("id")
    )
    where = {
        None: (_("request corrective actions first."), "lead_auditor_or_manager"),
        "pending": (_("its corrective action awaits the auditor's review."), "auditor"),
        "rejected": (_("its corrective action was rejected: request a new one."),
                     "lead_auditor_or_manager"),
    }  # fmt: skip
    entries = []
    for finding in findings:
        actions = sorted(finding.corrective_actions.all(), key=lambda a: (a.submitted_at, a.pk))
        stands, who = where.get(actions[-1].review if actions else None, where[None])
        detail = _("The major finding on %(criterion)s is still open: %(stands)s") % {
            "criterion": finding.criterion.code, "stands": stands,
        }  # fmt: skip
        entries.append(missing("major_finding_open", detail, finding=finding.pk,
                               criterion=finding.criterion.code, next_to_act=who))  # fmt: skip
    return entries


def reopened_criteria(dossier) -> set[int] | None:
    """The criteria that accept new evidence in the dossier's state: all of them in a draft
    (None), then only those an open information request names, or those of the open major
    findings awaiting corrective actions. Evidence is frozen otherwise."""
    memo = dossier.__dict__.setdefault("_guards", {})
    key = ("reopened_criteria", dossier.state)
    if key not in memo:
        memo[key] = _reopened_criteria(dossier)
    return memo[key]


def _reopened_criteria(dossier) -> set[int] | None:
    from .models import Dossier

    if dossier.state == Dossier.State.DRAFT:
        return None
    if dossier.state == Dossier.State.INFORMATION_REQUESTED:
        named = dossier.information_requests.filter(answered_at__isnull=True)
        return {pk for pk in named.values_list("criteria", flat=True) if pk is not None}
    if dossier.state == Dossier.State.CORRECTIVE_ACTIONS:
        return set(_open_major_findings(dossier).values_list("criterion_id", flat=True))
    return set()


def deliberation_closed(dossier) -> list[dict]:
    """A jury designates once its chair closed the deliberation on the entry's category, and
    until the campaign's results are published."""
    from juries.services import deliberation_of, published  # the juries' models depend on ours

    if deliberation_of(dossier) is None:
        return [missing("deliberation_open", _("The jury's deliberation on this category is "
                                               "not closed yet."))]  # fmt: skip
    if published(dossier.campaign_id):
        return [missing("results_published", _("The results are published: designations are "
                                               "final."))]  # fmt: skip
    return []


def not_deliberated(dossier) -> list[dict]:
    """A shortlisted entry stays in the competition once its jury has deliberated."""
    from juries.services import deliberation_of  # the juries' models depend on this app's

    if dossier.state == "shortlisted" and deliberation_of(dossier) is not None:
        return [missing("deliberation_closed", _("The jury has deliberated on this entry: it "
                                                 "can no longer be withdrawn."))]  # fmt: skip
    return []


def validity_ended(dossier) -> list[dict]:
    award = getattr(dossier, "certificate", None)
    if award is None or award.valid_until >= timezone.localdate():
        return [missing("still_valid", _("The label is still valid."))]
    return []


def run(guard, dossier) -> list[dict]:
    """The guard's verdict, remembered on the dossier instance for its current state: the
    policy asks it, then django-fsm asks it again as the transition runs."""
    memo = dossier.__dict__.setdefault("_guards", {})
    key = (guard.__name__, dossier.state)
    if key not in memo:
        memo[key] = guard(dossier)
    return memo[key]


def forget(dossier) -> None:
    """Drop the remembered verdicts once the dossier's data changed."""
    dossier.__dict__.pop("_guards", None)


def condition(guard):
    """Adapt a guard to django-fsm's boolean `conditions=`."""

    def check(dossier) -> bool:
        return not run(guard, dossier)

    check.guard = guard
    check.__name__ = guard.__name__
    return check
