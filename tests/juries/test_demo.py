"""The demo shows the whole trophy track: last year's edition, its entries shortlisted, and a
jury of jure1 (chair), jure2 and jure3 halfway through its work."""

import pytest

from certification import demo
from certification.errors import Conflict
from certification.services.history import altered_dossiers
from juries import selectors, services
from juries.models import Jury
from tests.demo import user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_demo_seeds_a_jury_at_work_once():
    demo.seed()
    demo.seed()  # idempotent

    jury = Jury.objects.get()
    assert {(m.juror.username, m.is_chair) for m in jury.members.all()} == {
        ("jure1", True), ("jure2", False), ("jure3", False),
    }  # fmt: skip
    entries = {row["entry"].collectivity.name: row["status"]
               for row in selectors.juror_entries(user("jure3"))}  # fmt: skip
    assert entries == {"Niort": "submitted", "Vertou": "recused",
                       "Métropole Européenne de Lille": "to_declare"}  # fmt: skip
    assert {row["status"] for row in selectors.juror_entries(user("jure2"))} == {
        "submitted", "in_progress", "to_declare",
    }  # fmt: skip
    with pytest.raises(Conflict, match="has not submitted"):  # the chair must wait for them
        services.deliberation_close(jury=jury, category_code="20k-100k", by=user("jure1"))
    entry = next(r["entry"] for r in selectors.juror_entries(user("jure1")))
    assert entry.campaign.year == entry.campaign.opens_at.year  # last year's edition
    assert not entry.campaign.is_open()
    # Their history starts at the shortlisting, signed and chained: nothing reads as altered.
    assert [log.transition for log in entry.history.all()] == ["shortlist"]
    assert altered_dossiers() == []
