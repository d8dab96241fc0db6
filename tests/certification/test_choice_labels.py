"""`get_FOO_display()` (`ChoiceLabels`) says a choice's label in the active language, as
Django's own does, and the stored value when no choice has it."""

from django.utils import translation

from certification.models import Award, Dossier
from documents.models import Document


def test_a_choice_reads_as_its_label_in_the_active_language():
    award, dossier = Award(status="suspended"), Dossier(state="committee_review")
    document = Document(scan_status="infected")
    with translation.override("fr"):
        assert award.get_status_display() == "Suspendu"
        assert document.get_scan_status_display() == "En quarantaine"
    with translation.override("en"):
        assert award.get_status_display() == "Suspended"
        assert dossier.get_state_display() == str(Dossier.State.COMMITTEE_REVIEW.label)
        assert document.get_scan_status_display() == "Quarantined"


def test_a_value_no_choice_has_reads_as_itself():
    assert Award(status="lost").get_status_display() == "lost"
