"""The jury of a trophy campaign: set up by a manager from existing jurors; each juror declares
per entry (a recused juror neither sees nor scores it), scores the shortlisted entries within
each criterion's range, and submits; only the chair reopens a sheet, and it is kept."""

import pytest
from django.contrib.auth import get_user_model

from certification import roles
from certification.errors import Conflict, InvalidInput, NotAllowed, NotVisible
from juries import selectors, services
from juries.models import Reopening
from tests import factories as f
from tests.api.calls import as_

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class Trophy:
    """A trophy campaign with two shortlisted entries (criteria A-1 and A-2, 100 points each)
    and a jury of three: chair, second, third."""

    def __init__(self):
        scheme = f.SchemeFactory(kind="trophy")
        self.campaign = f.CampaignFactory(referential=f.ReferentialFactory(scheme=scheme))
        self.entries = [f.DossierFactory(campaign=self.campaign, state="shortlisted")
                        for _ in range(2)]  # fmt: skip
        self.chair, self.second, self.third = f.juror("chair"), f.juror("second"), f.juror("third")
        self.manager = f.manager()
        self.jury = services.jury_create(
            campaign=self.campaign, category_code=None, name="Jury 2026",
            members=["second", "third"], chair="chair", by=self.manager,
        )  # fmt: skip

    def open(self, who, entry=0):
        services.declare(dossier=self.entries[entry], by=who, has_conflict=False)
        return self.entries[entry]


@pytest.fixture
def trophy():
    return Trophy()


def test_a_manager_sets_up_the_jury_from_existing_jurors(trophy):
    members = {(m.juror.username, m.is_chair) for m in trophy.jury.members.all()}
    assert members == {("chair", True), ("second", False), ("third", False)}
    with pytest.raises(Conflict):
        services.jury_create(campaign=trophy.campaign, category_code=None, name="Again",
                             members=["second"], chair="third", by=trophy.manager)  # fmt: skip


def test_it_refuses_a_non_juror_a_label_campaign_and_a_non_manager(trophy):
    scheme = f.SchemeFactory(kind="trophy")
    campaign = f.CampaignFactory(referential=f.ReferentialFactory(scheme=scheme))
    with pytest.raises(InvalidInput, match="Not jurors: somebody"):
        services.jury_create(campaign=campaign, category_code=None, name="J",
                             members=["second", f.UserFactory(username="somebody").username],
                             chair="chair", by=trophy.manager)  # fmt: skip
    with pytest.raises(InvalidInput, match="Only trophy campaigns"):
        services.jury_create(campaign=f.CampaignFactory(), category_code=None, name="J",
                             members=["second"], chair="chair", by=trophy.manager)  # fmt: skip
    with pytest.raises(NotAllowed):
        services.jury_create(campaign=campaign, category_code=None, name="J",
                             members=["second"], chair="chair", by=trophy.chair)  # fmt: skip


def test_a_juror_declares_before_the_entry_opens_to_them(trophy):
    entry = trophy.entries[0]
    assert not roles.can_view(trophy.second, entry)
    with pytest.raises(Conflict, match="Declare your conflicts"):
        services.score_save(dossier=entry, by=trophy.second, criterion_code="A-1", points=50)

    services.declare(dossier=entry, by=trophy.second, has_conflict=False)

    entry.__dict__.pop("_object_perms", None)
    assert roles.can_view(trophy.second, entry)
    assert services.score_save(dossier=entry, by=trophy.second, criterion_code="A-1",
                               points=50).points == 50  # fmt: skip


def test_a_recused_juror_cannot_open_nor_score_the_entry_and_the_reason_is_kept(trophy):
    entry = trophy.entries[0]
    with pytest.raises(InvalidInput, match="Say what the conflict"):
        services.declare(dossier=entry, by=trophy.third, has_conflict=True, reason=" ")
    declaration = services.declare(dossier=entry, by=trophy.third, has_conflict=True,
                                   reason="J'ai travaillé pour cette commune.")  # fmt: skip

    assert declaration.reason == "J'ai travaillé pour cette commune."
    assert not roles.can_view(trophy.third, entry)
    with pytest.raises(NotAllowed, match="recused"):
        services.score_save(dossier=entry, by=trophy.third, criterion_code="A-1", points=50)
    with pytest.raises(Conflict, match="already declared"):
        services.declare(dossier=entry, by=trophy.third, has_conflict=False)


def test_a_juror_of_another_jury_or_a_stranger_gets_404(trophy):
    scheme = f.SchemeFactory(kind="trophy")
    campaign = f.CampaignFactory(referential=f.ReferentialFactory(scheme=scheme))
    services.jury_create(campaign=campaign, category_code=None, name="Other",
                         members=[f.juror("outsider").username], chair="outsider",
                         by=trophy.manager)  # fmt: skip
    for user in [f.UserFactory(), f.juror("alone")]:
        with pytest.raises(NotVisible):
            services.declare(dossier=trophy.entries[0], by=user, has_conflict=False)
    outsider = get_user_model().objects.get(username="outsider")
    with pytest.raises(NotVisible):
        selectors.get_entry_for(outsider, trophy.entries[0].pk)


def test_points_stay_within_the_criterions_range(trophy):
    entry = trophy.open(trophy.second)
    for points in (-1, 101):
        with pytest.raises(InvalidInput, match="go from 0 to 100"):
            services.score_save(dossier=entry, by=trophy.second, criterion_code="A-1",
                                points=points)  # fmt: skip
    with pytest.raises(InvalidInput, match="Unknown criterion"):
        services.score_save(dossier=entry, by=trophy.second, criterion_code="Z-9", points=1)


def test_a_sheet_is_submitted_once_complete_and_only_the_chair_reopens_it(trophy):
    entry = trophy.open(trophy.second)
    services.score_save(dossier=entry, by=trophy.second, criterion_code="A-1", points=80)
    with pytest.raises(Conflict, match="not scored yet: A-2"):
        services.sheet_submit(dossier=entry, by=trophy.second)
    services.score_save(dossier=entry, by=trophy.second, criterion_code="A-2", points=60)
    sheet = services.sheet_submit(dossier=entry, by=trophy.second)
    with pytest.raises(Conflict, match="only the chair can reopen"):
        services.score_save(dossier=entry, by=trophy.second, criterion_code="A-1", points=90)

    with pytest.raises(NotAllowed):
        services.sheet_reopen(sheet=sheet, by=trophy.third, reason="Erreur de saisie.")
    sheet = services.sheet_reopen(sheet=sheet, by=trophy.chair, reason="Erreur de saisie.")

    assert sheet.submitted_at is None
    reopening = Reopening.objects.get(sheet=sheet)
    assert (reopening.by, reopening.reason) == (trophy.chair, "Erreur de saisie.")
    assert services.score_save(dossier=entry, by=trophy.second, criterion_code="A-1",
                               points=90).points == 90  # fmt: skip


def test_a_campaign_can_require_a_comment_per_criterion(trophy):
    trophy.campaign.__class__.objects.filter(pk=trophy.campaign.pk).update(
        jury_comments_required=True
    )
    entry = trophy.open(trophy.second)
    entry.campaign.refresh_from_db()
    services.score_save(dossier=entry, by=trophy.second, criterion_code="A-1", points=80,
                        comment="Démarche solide.")  # fmt: skip
    services.score_save(dossier=entry, by=trophy.second, criterion_code="A-2", points=60)
    with pytest.raises(Conflict, match="comment on each criterion: A-2"):
        services.sheet_submit(dossier=entry, by=trophy.second)


def test_the_jurors_list_says_where_they_stand_on_each_entry(trophy, django_assert_num_queries):
    first, second = trophy.entries
    trophy.open(trophy.second, 0)
    services.score_save(dossier=first, by=trophy.second, criterion_code="A-1", points=80)
    services.declare(dossier=second, by=trophy.second, has_conflict=True, reason="Élu local.")

    with django_assert_num_queries(4):  # seats, entries, declarations, sheets
        rows = selectors.juror_entries(trophy.second)

    assert {r["entry"].pk: (r["status"], r["scored"], r["criteria"]) for r in rows} == {
        first.pk: ("in_progress", 1, 2), second.pk: ("recused", 0, 2),
    }  # fmt: skip
    assert [r["entry"].collectivity.name for r in rows] == sorted(
        [first.collectivity.name, second.collectivity.name]
    )


# -- API ------------------------------------------------------------------------------------


def test_the_api_runs_the_jurors_work_and_the_chair_reads_every_sheet(api, trophy):
    entry = trophy.entries[0]
    base = f"/api/v1/dossiers/{entry.pk}"
    second = as_(api, trophy.second)
    assert second.post(f"{base}/declaration/", {"has_conflict": False},
                       format="json").status_code == 201  # fmt: skip
    assert second.post(f"{base}/scores/", {"criterion": "A-1", "points": 101},
                       format="json").status_code == 400  # fmt: skip
    for code, points in [("A-1", 70), ("A-2", 40)]:
        response = second.post(f"{base}/scores/", {"criterion": code, "points": points,
                                                   "comment": "Bien."}, format="json")  # fmt: skip
        assert response.status_code == 201
    assert second.post(f"{base}/scores/submit/").status_code == 200
    listed = {e["id"]: e["status"] for e in second.get("/api/v1/jury-entries/").data}
    assert listed == {entry.pk: "submitted", trophy.entries[1].pk: "to_declare"}

    chair = as_(api, trophy.chair)
    assert chair.get(f"{base}/scores/").status_code == 200
    chair.post(f"{base}/declaration/", {"has_conflict": False}, format="json")
    sheets = chair.get(f"{base}/scores/").data
    assert [(s["juror"], len(s["scores"])) for s in sheets] == [("second", 2)]
    third = as_(api, trophy.third)
    third.post(f"{base}/declaration/", {"has_conflict": False}, format="json")
    assert third.get(f"{base}/scores/").data == []  # a juror reads their own sheet only
    assert as_(api, f.UserFactory()).get(f"{base}/scores/").status_code == 404

    sheet_id = sheets[0]["id"]
    response = as_(api, trophy.third).post(f"/api/v1/score-sheets/{sheet_id}/reopen/",
                                           {"reason": "?"}, format="json")  # fmt: skip
    assert response.status_code == 403
    response = as_(api, trophy.chair).post(f"/api/v1/score-sheets/{sheet_id}/reopen/",
                                           {"reason": "Revoir A-2."}, format="json")  # fmt: skip
    assert response.status_code == 200 and response.data["submitted_at"] is None


def test_the_api_sets_up_a_jury_for_managers_only(api):
    scheme = f.SchemeFactory(kind="trophy")
    campaign = f.CampaignFactory(referential=f.ReferentialFactory(scheme=scheme))
    f.juror("one"), f.juror("two")
    body = {"campaign": campaign.pk, "name": "Jury 2026", "members": ["one"], "chair": "two"}
    manager = f.manager()

    assert as_(api, f.juror("three")).post("/api/v1/juries/", body,
                                           format="json").status_code == 403  # fmt: skip
    response = as_(api, manager).post("/api/v1/juries/", {**body, "campaign": 99999999},
                                      format="json")  # fmt: skip
    assert response.status_code == 400
    response = as_(api, manager).post("/api/v1/juries/", {**body, "members": ["nobody"]},
                                      format="json")  # fmt: skip
    assert response.status_code == 400 and "nobody" in response.data["detail"]
    response = as_(api, manager).post("/api/v1/juries/", body, format="json")
    assert response.status_code == 201
    assert response.data["members"] == [
        {"juror": "one", "name": "", "is_chair": False},
        {"juror": "two", "name": "", "is_chair": True},
    ]  # fmt: skip
    assert as_(api, manager).post("/api/v1/juries/", body, format="json").status_code == 409


def test_managers_list_every_jury_and_jurors_their_own(api, trophy, django_assert_num_queries):
    other = f.CampaignFactory(referential=f.ReferentialFactory(scheme=f.SchemeFactory(
        kind="trophy")))  # fmt: skip
    services.jury_create(campaign=other, category_code=None, name="Other jury",
                         members=["third"], chair="third", by=trophy.manager)  # fmt: skip
    manager = as_(api, trophy.manager)
    manager.get("/api/v1/juries/")  # the manager's global permission, asked once
    # The count, the page, the members: whatever the number of juries.
    with django_assert_num_queries(3):
        listed = manager.get("/api/v1/juries/")
    assert {j["name"] for j in listed.data["results"]} == {"Jury 2026", "Other jury"}
    mine = as_(api, trophy.chair).get("/api/v1/juries/").data["results"]
    assert [(j["name"], [m["juror"] for m in j["members"] if m["is_chair"]]) for j in mine] == [
        ("Jury 2026", ["chair"])
    ]
    assert as_(api, f.UserFactory()).get("/api/v1/juries/").data["results"] == []
    manager = as_(api, trophy.manager)  # one client, signed in again
    by_campaign = manager.get("/api/v1/juries/", {"campaign": other.pk}).data["results"]
    assert [j["name"] for j in by_campaign] == ["Other jury"]
    assert manager.get("/api/v1/juries/", {"campaign": "x"}).status_code == 400
