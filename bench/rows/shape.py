"""The shape of the data set: how many of what, in which states, reached how and by whom."""

from certification.models import Award, Dossier, Scheme

S = Dossier.State
LABEL, TROPHY = Scheme.Kind.LABEL, Scheme.Kind.TROPHY


# state: (dossiers per 100, the scheme kind it belongs to (None: both), its campaign's phase)
STATES = {
    S.DRAFT: (25, None, "open"),
    S.SUBMITTED: (8, None, "open"),
    S.INADMISSIBLE: (4, None, "open"),
    S.WITHDRAWN: (4, None, "open"),
    S.ADMISSIBLE: (6, None, "open"),
    S.UNDER_REVIEW: (8, None, "review"),
    S.INFORMATION_REQUESTED: (3, None, "review"),
    S.REPORT_ISSUED: (3, None, "review"),
    S.CORRECTIVE_ACTIONS: (2, LABEL, "review"),
    S.COMMITTEE_REVIEW: (4, LABEL, "review"),
    S.SHORTLISTED: (5, TROPHY, "review"),
    S.AWARDED: (14, LABEL, "past"),
    S.REFUSED: (3, LABEL, "past"),
    S.SUSPENDED: (1, LABEL, "past"),
    S.REVOKED: (1, LABEL, "past"),
    S.EXPIRED: (1.5, LABEL, "past"),
    S.NOT_SHORTLISTED: (7.5, TROPHY, "past"),
}
# Campaigns holding each phase, in years before the current one: this year's campaign is
# where dossiers are opened, last year's still under review, older ones decided.
PHASE_YEARS = {"open": (0,), "review": (0, 1), "past": (1, 2)}
PAST_YEARS = (1, 2)
LABEL_SHARE = 0.6  # of the dossiers in states both schemes go through

# The transitions that lead to each state (checked against the model's lifecycle).
SUBMITTED = ["submit"]
ADMISSIBLE = [*SUBMITTED, "declare_admissible"]
REVIEW = [*ADMISSIBLE, "start_review"]
REPORT = [*REVIEW, "issue_report"]
COMMITTEE = [*REPORT, "refer_to_committee"]
AWARDED = [*COMMITTEE, "award"]
STEPS = {
    S.DRAFT: [],
    S.SUBMITTED: SUBMITTED,
    S.INADMISSIBLE: [*SUBMITTED, "declare_inadmissible"],
    S.ADMISSIBLE: ADMISSIBLE,
    S.UNDER_REVIEW: REVIEW,
    S.INFORMATION_REQUESTED: [*REVIEW, "request_information"],
    S.REPORT_ISSUED: REPORT,
    S.CORRECTIVE_ACTIONS: [*REPORT, "request_corrective_actions"],
    S.COMMITTEE_REVIEW: COMMITTEE,
    S.SHORTLISTED: [*REPORT, "shortlist"],
    S.NOT_SHORTLISTED: [*REPORT, "not_shortlist"],
    S.AWARDED: AWARDED,
    S.REFUSED: [*COMMITTEE, "refuse"],
    S.SUSPENDED: [*AWARDED, "suspend"],
    S.REVOKED: [*AWARDED, "revoke"],
    S.EXPIRED: [*AWARDED, "expire"],
}
WITHDRAWN_FROM = ([], SUBMITTED)  # withdrawn from a draft, or once submitted
INFO_LOOP = ["request_information", "provide_information"]
INFO_LOOP_SHARE = 0.10  # reviews that asked the collectivity a question on the way

# Who runs each transition (the `permission=` of the model's transitions).
ACTOR = {
    "submit": "referent",
    "withdraw": "referent",
    "provide_information": "referent",
    "declare_admissible": "manager",
    "declare_inadmissible": "manager",
    "refer_to_committee": "manager",
    "shortlist": "manager",
    "not_shortlist": "manager",
    "start_review": "lead",
    "request_information": "lead",
    "issue_report": "lead",
    "request_corrective_actions": "lead",
    "award": "committee",
    "refuse": "committee",
    "suspend": "committee",
    "revoke": "committee",
    "expire": "system",
}
# Transitions whose service requires a comment.
COMMENTS = {
    "declare_inadmissible": "Dossier incomplet : pièces justificatives manquantes.",
    "refuse": "Les exigences du niveau visé ne sont pas atteintes.",
    "suspend": "Suspension en attente d'un audit de surveillance.",
    "revoke": "Retrait après audit de surveillance.",
}
AWARD_STATUS = {
    S.AWARDED: Award.Status.ACTIVE,
    S.SUSPENDED: Award.Status.SUSPENDED,
    S.REVOKED: Award.Status.REVOKED,
    S.EXPIRED: Award.Status.EXPIRED,
}

COLLECTIVITIES_PER_DOSSIER = 0.35
CONTRIBUTOR_SHARE, VIEWER_SHARE = 0.4, 0.2  # collectivities with one more member of that role
DOSSIERS_PER_AUDITOR = 40  # about 20 assignments each, like the named auditor
DOSSIERS_PER_COMMITTEE_MEMBER = 5000
DOSSIERS_PER_MANAGER = 20000
DECLARED_WHILE_ADMISSIBLE = 1 / 3  # lead auditors who declared before the review started
CO_AUDITOR_SHARE = 0.02
MINOR_NC_SHARE = 0.1
KINDS = [("commune", 80), ("intercommunalite", 14), ("departement", 3), ("region", 2),
         ("metropole", 1)]  # fmt: skip
REGIONS = ["Nouvelle-Aquitaine", "Hauts-de-France", "Pays de la Loire", "Occitanie",
           "Bretagne", "Grand Est", "Normandie", "Île-de-France"]  # fmt: skip

# The named referent's collectivity: a handful of dossiers, the same at every size.
REFERENT_DOSSIERS = [(S.DRAFT, LABEL, 0), (S.SUBMITTED, TROPHY, 0), (S.AWARDED, LABEL, 1),
                     (S.NOT_SHORTLISTED, TROPHY, 1), (S.EXPIRED, LABEL, 2)]  # fmt: skip
# The named auditor's 20 assignments: not yet declared, lead, co-auditor.
AUDITOR_ASSIGNMENTS = {"pending": 2, "lead": 14, "co": 4}
