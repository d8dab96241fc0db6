"""The deliberation: the chair closes it once every sheet is in (the scores lock, the record is
kept), designates laureates and finalists through the lifecycle, a manager publishes; then the
entrants read their feedback and everyone the laureates."""

import csv
import io

import pytest
from django.core import mail

from certification.errors import Conflict, NotAllowed, NotVisible
from certification.services.transitions import perform_transition
from juries import notifications, records, selectors, services
from juries.models import Designation, JuryMember
from tests import factories as f
from tests.api.calls import as_

from .conftest import sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def closed(worked):
    jury, entries, people, manager = worked
    deliberation = services.deliberation_close(jury=jury, category_code=None, by=people["harsh"])
    return deliberation, entries, people, manager


def designate(entry, chair, name="designate_laureate", **data):
    return perform_transition(dossier=entry, name=name, by=chair,
                              data={"citation": "Une démarche exemplaire.", **data})  # fmt: skip


def test_the_chair_closes_once_every_juror_has_submitted(api):
    from .conftest import jury_with_entries

    jury, entries, people, _manager = jury_with_entries(["Aa", "Bb"])
    for entry in entries.values():
        sheet(entry, people["harsh"], 50)
        sheet(entry, people["neutral"], 60)
    services.declare(dossier=entries["Aa"], by=people["lenient"], has_conflict=True,
                     reason="Conjoint élu.")  # fmt: skip
    url = f"/api/v1/juries/{jury.pk}/close/"
    assert as_(api, people["neutral"]).post(url, {}, format="json").status_code == 404

    response = as_(api, people["harsh"]).post(url, {}, format="json")

    assert response.status_code == 409  # lenient owes Bb a sheet; their recusal on Aa counts
    assert [(m["code"], m["juror"]) for m in response.data["missing"]] == [
        ("sheet_missing", "lenient")
    ]
    sheet(entries["Bb"], people["lenient"], 70)
    response = as_(api, people["harsh"]).post(url, {}, format="json")
    assert response.status_code == 201
    record = response.data["record"]
    assert [(m["juror"], m["is_chair"]) for m in record["members"]] == [
        ("harsh", True), ("lenient", False), ("neutral", False),
    ]  # fmt: skip
    assert [(r["juror"], r["collectivity"], r["reason"]) for r in record["recusals"]] == [
        ("lenient", "Aa", "Conjoint élu.")
    ]
    assert [(r["collectivity"], r["rank"]) for r in record["rankings"]] == [("Bb", 1), ("Aa", 2)]
    assert as_(api, people["harsh"]).post(url, {}, format="json").status_code == 409  # once


def test_the_record_keeps_both_rankings(closed):
    deliberation, *_ = closed
    rankings = {r["collectivity"]: (r["rank"], r["normalised_rank"], r["sheets"])
                for r in deliberation.record["rankings"]}  # fmt: skip
    # The worked example: the raw order (Yport, Zellenberg, Xanten) turns round once
    # normalised (Xanten, Yport, Zellenberg); lenient recused on Xanten.
    assert rankings == {"Yport": (1, 2, 3), "Zellenberg": (2, 3, 3), "Xanten": (3, 1, 2)}


def test_scores_lock_once_the_deliberation_is_closed(api, closed):
    deliberation, entries, people, _manager = closed
    yport = entries["Yport"]
    with pytest.raises(Conflict, match="locked"):
        services.score_save(dossier=yport, by=people["neutral"], criterion_code="A-1", points=1)
    neutral = as_(api, people["neutral"])
    response = neutral.post(f"/api/v1/dossiers/{yport.pk}/scores/",
                            {"criterion": "A-1", "points": 1}, format="json")  # fmt: skip
    assert response.status_code == 409
    assert neutral.post(f"/api/v1/dossiers/{yport.pk}/scores/submit/").status_code == 409
    reopened = yport.score_sheets.get(member__juror=people["neutral"])
    response = as_(api, people["harsh"]).post(f"/api/v1/score-sheets/{reopened.pk}/reopen/",
                                              {"reason": "Relire"}, format="json")  # fmt: skip
    assert response.status_code == 409
    assert reopened.scores.get(criterion__code="A-1").points == 60  # nothing changed


def test_only_the_chair_designates_and_only_after_the_close(api, worked):
    jury, entries, people, manager = worked
    yport = entries["Yport"]
    with pytest.raises(Conflict, match="not closed"):
        designate(yport, people["harsh"], rank=1)
    services.deliberation_close(jury=jury, category_code=None, by=people["harsh"])
    for who in (people["neutral"], manager, f.UserFactory()):
        with pytest.raises(NotAllowed):
            designate(yport, who, rank=1)
    with pytest.raises(Conflict, match="rank or a named prize"):
        designate(yport, people["harsh"])
    url = f"/api/v1/dossiers/{yport.pk}/transitions/designate_laureate/"
    response = as_(api, people["harsh"]).post(
        url, {"rank": 1, "citation": "Un pilotage exemplaire."}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["state"] == "laureate"
    designation = Designation.objects.get(dossier=yport)
    assert (designation.outcome, designation.rank, designation.decided_by) == (
        "laureate", 1, people["harsh"],
    )  # fmt: skip
    finalist = designate(entries["Xanten"], people["harsh"], name="designate_finalist",
                         prize="Mention spéciale")  # fmt: skip
    assert finalist.state == "finalist"
    assert yport.history.filter(transition="designate_laureate").exists()


def test_designations_stay_under_embargo(closed):
    from certification.services import notifications as transition_mail

    _deliberation, entries, people, _manager = closed
    yport = entries["Yport"]
    f.member(yport.collectivity, email="referent@yport.fr")
    designate(yport, people["harsh"], rank=1)
    log = yport.history.get(transition="designate_laureate")
    assert "referent@yport.fr" not in transition_mail.recipients_for(log)


def test_an_entry_cannot_be_withdrawn_once_deliberated(closed):
    _deliberation, entries, *_ = closed
    yport = entries["Yport"]
    referent = f.member(yport.collectivity)
    with pytest.raises(Conflict, match="no longer be withdrawn"):
        perform_transition(dossier=yport, name="withdraw", by=referent)


def test_the_record_exports_as_csv_and_pdf(api, closed):
    deliberation, entries, people, manager = closed
    designate(entries["Yport"], people["harsh"], rank=1)
    designate(entries["Xanten"], people["harsh"], name="designate_finalist")
    response = as_(api, people["neutral"]).get(f"/api/v1/deliberations/{deliberation.pk}/csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Candidature", "Collectivité", "Grilles", "Rang"]  # in French
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Yport", "Zellenberg", "Xanten"}
    yport, xanten = by_name["Yport"], by_name["Xanten"]
    assert (yport[3], yport[4], yport[6], yport[7]) == ("1", "63.33", "2", "61.59")
    assert (yport[10], yport[11], yport[14]) == ("Lauréat", "1", "harsh")
    assert (xanten[3], xanten[6], xanten[10]) == ("3", "1", "Finaliste")
    assert "lenient: Ancien élu." in xanten[9]
    assert by_name["Zellenberg"][10] == ""  # not designated (yet)
    pdf = as_(api, manager).get(f"/api/v1/deliberations/{deliberation.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert records.record_pdf(deliberation) == records.record_pdf(deliberation)
    assert as_(api, f.juror()).get(f"/api/v1/deliberations/{deliberation.pk}/csv/").status_code \
        == 404  # fmt: skip


@pytest.fixture
def published(closed):
    deliberation, entries, people, manager = closed
    designate(entries["Yport"], people["harsh"], rank=1)
    designate(entries["Xanten"], people["harsh"], name="designate_finalist")
    publication = services.results_publish(campaign=deliberation.jury.campaign, by=manager)
    return publication, entries, people, manager


def test_a_manager_publishes_once_every_jury_has_deliberated(api, worked):
    jury, entries, people, manager = worked
    url = f"/api/v1/campaigns/{jury.campaign_id}/publish-results/"
    assert as_(api, people["harsh"]).post(url).status_code == 403
    response = as_(api, manager).post(url)
    assert response.status_code == 409
    assert {m["entry"] for m in response.data["missing"]} == {e.pk for e in entries.values()}
    services.deliberation_close(jury=jury, category_code=None, by=people["harsh"])
    designate(entries["Yport"], people["harsh"], rank=1)

    assert as_(api, manager).post(url).status_code == 201

    assert as_(api, manager).post(url).status_code == 409
    left = Designation.objects.get(dossier=entries["Zellenberg"])
    assert left.outcome == "not_designated"
    assert entries["Yport"].__class__.objects.get(pk=entries["Yport"].pk).certificate
    with pytest.raises(Conflict, match="published"):
        designate(entries["Zellenberg"], people["harsh"], name="designate_finalist")


def test_the_laureates_page_is_public_after_publication(api, client, published):
    publication, entries, *_ = published
    url = f"/api/v1/campaigns/{publication.campaign_id}/laureates/"
    response = api.get(url)
    assert response.status_code == 200
    assert [(d["collectivity"], d["outcome"]) for d in response.data["designations"]] == [
        ("Yport", "laureate"), ("Xanten", "finalist"),
    ]  # fmt: skip
    laureate = response.data["designations"][0]
    assert laureate["citation"] == "Une démarche exemplaire."
    number = laureate["certificate_number"]
    assert api.get(f"/api/v1/registry/{number}/").status_code == 200  # verifiable
    other = f.CampaignFactory(referential=f.ReferentialFactory(scheme=f.SchemeFactory(
        kind="trophy")))  # fmt: skip
    assert api.get(f"/api/v1/campaigns/{other.pk}/laureates/").status_code == 404


def test_the_laureates_before_publication_are_not_public(api, closed):
    deliberation, entries, people, _manager = closed
    designate(entries["Yport"], people["harsh"], rank=1)
    url = f"/api/v1/campaigns/{deliberation.jury.campaign_id}/laureates/"
    assert api.get(url).status_code == 404


def test_feedback_opens_to_the_entrant_after_publication(api, closed):
    deliberation, entries, people, manager = closed
    yport = entries["Yport"]
    referent = f.member(yport.collectivity)
    url = f"/api/v1/dossiers/{yport.pk}/feedback/"
    assert as_(api, referent).get(url).status_code == 409  # not published yet
    designate(yport, people["harsh"], rank=1)
    services.results_publish(campaign=deliberation.jury.campaign, by=manager)

    response = as_(api, referent).get(url)

    assert response.status_code == 200
    data = response.data
    assert (data["outcome"], data["rank"]) == ("laureate", 1)
    [chapter] = data["chapters"]
    # Yport's sheets: 50, 80, 60 → 63.33; the category: (55 + 63.33 + 60) / 3 = 59.44.
    assert (round(chapter["mean"], 2), chapter["category_mean"]) == (63.33, 59.44)
    body = str(data)
    assert all(name not in body for name in ("harsh", "lenient", "neutral"))
    for outsider in (f.member(f.CollectivityFactory()), people["neutral"], f.UserFactory()):
        assert as_(api, outsider).get(url).status_code == 404


def test_the_jurors_comments_reach_the_entrant_unsigned(published):
    publication, entries, people, manager = published
    zellenberg = entries["Zellenberg"]
    referent = f.member(zellenberg.collectivity)
    data = selectors.feedback_for(referent, zellenberg)
    assert data["outcome"] == "not_designated"
    assert data["comments"] == []  # the worked sheets carry no comment
    with pytest.raises(NotVisible):
        selectors.feedback_for(f.member(f.CollectivityFactory()), zellenberg)


def test_the_chair_reminds_late_jurors(api, worked):
    from .conftest import jury_with_entries

    jury, entries, people, _manager = jury_with_entries(["Aa"])
    people["lenient"].email = "lenient@example.fr"
    people["lenient"].save()
    sheet(entries["Aa"], people["harsh"], 50)
    sheet(entries["Aa"], people["neutral"], 50)
    response = as_(api, people["harsh"]).post(f"/api/v1/juries/{jury.pk}/remind/")
    assert response.status_code == 200
    assert response.data["reminded"] == ["lenient"]
    member = JuryMember.objects.get(jury=jury, juror=people["lenient"])
    assert member.reminded_at is not None
    mail.outbox.clear()
    assert notifications.remind_juror(member) == 1
    assert "Aa" in mail.outbox[0].body
    assert as_(api, people["neutral"]).post(f"/api/v1/juries/{jury.pk}/remind/").status_code \
        == 404  # fmt: skip


def test_a_laureates_trophy_is_drawn_with_its_rank_and_citation(published):
    from pypdf import PdfReader

    from documents import certificates, storage

    _publication, entries, *_ = published
    award = certificates.certificate_store(entries["Yport"].__class__.objects.get(
        pk=entries["Yport"].pk).certificate)  # fmt: skip
    text = PdfReader(io.BytesIO(storage.read(award.certificate_key))).pages[0].extract_text()
    for expected in ("Yport", "Une démarche exemplaire.", award.certificate_number,
                     award.dossier.campaign.name):  # fmt: skip
        assert expected in text
