from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .. import guards, roles
from ..guards import condition
from .campaign import Campaign, Category
from .collectivity import Collectivity
from .display import ChoiceLabels
from .scheme import Criterion, Referential


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ADMISSIBLE = "admissible", _("Admissible")
    INADMISSIBLE = "inadmissible", _("Inadmissible")
    UNDER_REVIEW = "under_review", _("Under review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    REPORT_ISSUED = "report_issued", _("Report issued")
    CORRECTIVE_ACTIONS = "corrective_actions", _("Corrective actions")
    COMMITTEE_REVIEW = "committee_review", _("Committee review")
    AWARDED = "awarded", _("Awarded")
    REFUSED = "refused", _("Refused")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    NOT_SHORTLISTED = "not_shortlisted", _("Not shortlisted")
    LAUREATE = "laureate", _("Laureate")
    FINALIST = "finalist", _("Finalist")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


S = State
BEFORE_DECISION = [
    S.DRAFT, S.SUBMITTED, S.ADMISSIBLE, S.UNDER_REVIEW, S.INFORMATION_REQUESTED,
    S.REPORT_ISSUED, S.CORRECTIVE_ACTIONS, S.COMMITTEE_REVIEW, S.SHORTLISTED,
]  # fmt: skip


class Dossier(ConcurrentTransitionMixin, ChoiceLabels, models.Model):
    """A collectivity's application to a campaign. Its `state` only changes through
    `certification.services.transitions.perform_transition`; `certification.lifecycle`
    describes each transition below (label, input, effect, who acts next)."""

    State = State

    collectivity = models.ForeignKey(
        Collectivity,
        verbose_name=_("collectivity"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="dossiers"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
    )
    referential = models.ForeignKey(
        Referential, verbose_name=_("referential"), on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(_("state"), default=S.DRAFT, choices=State.choices, protected=True)
    # The label this dossier renews (`services.renewal`), when it is a renewal.
    renews = models.ForeignKey(
        "certification.Award", verbose_name=_("renews"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="renewals",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When the dossier went to the committee: its members see it from then on (`roles`).
    referred_at = models.DateTimeField(_("referred to the committee"), null=True, blank=True,
                                       editable=False)  # fmt: skip
    # The MAC of the last `TransitionLog` entry: the next entry chains to it, read with the
    # dossier's row lock rather than looked up in the log.
    history_head = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectivity", "campaign"],
                condition=~Q(state="withdrawn"),
                name="one_active_dossier_per_campaign",
            )
        ]
        indexes = [
            models.Index(fields=["state"]),
            # The lists' order: a page reads 25 rows of the index, not a sort of the table.
            models.Index(fields=["-created_at", "-id"], name="dossier_newest_first"),
            # The committee's list: the referred dossiers, newest first.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(referred_at__isnull=False),
                name="dossier_referred_newest_first",
            ),
            # What awaits the committee, the longest waiting first.
            models.Index(
                fields=["referred_at", "id"],
                condition=Q(state="committee_review"),
                name="committee_queue",
            ),  # fmt: skip
        ]
        permissions = [
            ("edit_dossier", _("Answer criteria and upload evidence")),
            ("submit_dossier", _("Act as the collectivity's referent")),
            ("audit_dossier", _("Audit the dossier")),
            ("lead_audit_dossier", _("Lead the audit of the dossier")),
            ("manage_dossier", _("Manage every dossier (programme manager)")),
        ]

    def __str__(self) -> str:
        return f"{self.collectivity} · {self.campaign}"

    # -- Transitions: states, who, guard. The rest is in `certification.lifecycle`. ------

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        permission=roles.referent,
        conditions=[condition(guards.campaign_open_and_complete)],
    )
    def submit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.DRAFT, permission=roles.manager)
    def return_for_completion(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.INADMISSIBLE, permission=roles.manager)
    def declare_inadmissible(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.ADMISSIBLE, permission=roles.manager)
    def declare_admissible(self):
        pass

    @transition(
        field=state,
        source=S.ADMISSIBLE,
        target=S.UNDER_REVIEW,
        permission=roles.lead_auditor,
        conditions=[condition(guards.conflict_of_interest_declared)],
    )
    def start_review(self):
        pass

    @transition(
        field=state,
        source=S.UNDER_REVIEW,
        target=S.INFORMATION_REQUESTED,
        permission=roles.assigned_auditor,
    )
    def request_information(self):
        pass

    @transition(
        field=state,
        source=S.INFORMATION_REQUESTED,
        target=S.UNDER_REVIEW,
        permission=roles.referent,
        conditions=[condition(guards.evidence_clean)],
    )
    def provide_information(self):
        pass

    @transition(
        field=state,
        source=S.UNDER_REVIEW,
        target=S.REPORT_ISSUED,
        permission=roles.lead_auditor,
        conditions=[condition(guards.every_criterion_assessed)],
    )
    def issue_report(self):
        pass

    @transition(
        field=state,
        source=S.REPORT_ISSUED,
        target=S.CORRECTIVE_ACTIONS,
        permission=roles.lead_auditor_or_manager,
        conditions=[condition(guards.open_major_findings)],
    )
    def request_corrective_actions(self):
        pass

    @transition(
        field=state, source=S.CORRECTIVE_ACTIONS, target=S.UNDER_REVIEW, permission=roles.referent
    )
    def submit_corrective_actions(self):
        pass

    @transition(
        field=state,
        source=S.REPORT_ISSUED,
        target=S.COMMITTEE_REVIEW,
        permission=roles.manager,
        conditions=[condition(guards.no_open_major_finding)],
    )
    def refer_to_committee(self):
        pass

    @transition(
        field=state,
        source=S.COMMITTEE_REVIEW,
        target=S.AWARDED,
        permission=roles.impartial_committee_member,
    )
    def award(self):
        pass

    @transition(
        field=state,
        source=S.COMMITTEE_REVIEW,
        target=S.REFUSED,
        permission=roles.impartial_committee_member,
    )
    def refuse(self):
        pass

    @transition(
        field=state,
        source=S.REPORT_ISSUED,
        target=S.SHORTLISTED,
        permission=roles.manager,
    )
    def shortlist(self):
        pass

    @transition(
        field=state,
        source=S.REPORT_ISSUED,
        target=S.NOT_SHORTLISTED,
        permission=roles.manager,
    )
    def not_shortlist(self):
        pass

    @transition(
        field=state,
        source=S.SHORTLISTED,
        target=S.LAUREATE,
        permission=roles.jury_chair,
        conditions=[condition(guards.deliberation_closed)],
    )
    def designate_laureate(self):
        pass

    @transition(
        field=state,
        source=S.SHORTLISTED,
        target=S.FINALIST,
        permission=roles.jury_chair,
        conditions=[condition(guards.deliberation_closed)],
    )
    def designate_finalist(self):
        pass

    @transition(
        field=state,
        source=BEFORE_DECISION,
        target=S.WITHDRAWN,
        permission=roles.referent,
        conditions=[condition(guards.not_deliberated)],
    )
    def withdraw(self):
        pass

    @transition(
        field=state,
        source=S.AWARDED,
        target=S.SUSPENDED,
        permission=roles.committee_member_or_manager,
    )
    def suspend(self):
        pass

    @transition(
        field=state,
        source=S.SUSPENDED,
        target=S.AWARDED,
        permission=roles.committee_member_or_manager,
    )
    def reinstate(self):
        pass

    @transition(
        field=state,
        source=[S.AWARDED, S.SUSPENDED],
        target=S.REVOKED,
        permission=roles.impartial_committee_member,
    )
    def revoke(self):
        pass

    @transition(
        field=state,
        source=[S.AWARDED, S.SUSPENDED],  # a suspension does not stretch the validity
        target=S.EXPIRED,
        permission=roles.system_only,
        conditions=[condition(guards.validity_ended)],
    )
    def expire(self):
        pass


class DossierUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Dossier, on_delete=models.CASCADE)


class DossierGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Dossier, on_delete=models.CASCADE)


class CriterionResponse(models.Model):
    """The collectivity's self-assessment of one criterion."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="responses"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="responses"
    )
    answer = models.TextField(_("answer"), blank=True)
    self_points = models.PositiveIntegerField(_("self-assessed points"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("criterion response")
        verbose_name_plural = _("criterion responses")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "criterion"], name="response_unique")
        ]
