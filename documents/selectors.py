"""Reads of the evidence, with the access rules applied."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from audits.models import IssuedReport
from certification import roles
from certification import selectors as dossier_selectors
from certification.errors import NotVisible
from certification.models import Award, Dossier

from .models import Document


def get_document_for(user, pk) -> Document:
    """The document if `user` may see its dossier. A document of a dossier they cannot see
    and a document that does not exist get the same answer."""
    document = None
    if dossier_selectors.is_id(pk):
        document = Document.objects.select_related("dossier").filter(pk=pk).first()
    if document is None or not roles.can_view(user, document.dossier):
        raise NotVisible(_("No such document."))
    return document


def get_certificate_for(user, number: str) -> Award:
    """An award whose dossier `user` may see (the holder's members, its auditors and
    committee, the managers), by its certificate number; 404 otherwise."""
    award = (
        Award.objects.select_related("dossier").filter(certificate_number=number).first()
        if number
        else None
    )
    if award is None or not roles.can_view(user, award.dossier):
        raise NotVisible(_("No such certificate."))
    return award


def get_issued_report_for(user, pk) -> IssuedReport:
    """An issued audit report whose dossier `user` may see; 404 otherwise."""
    issued = None
    if dossier_selectors.is_id(pk):
        issued = IssuedReport.objects.select_related("dossier").filter(pk=pk).first()
    if issued is None or not roles.can_view(user, issued.dossier):
        raise NotVisible(_("No such report."))
    return issued


def dossier_documents(dossier: Dossier, criterion_ids=None, current_only=False
                     ) -> QuerySet[Document]:  # fmt: skip
    """The dossier's evidence, every version (or only the current ones), by criterion then
    newest version first."""
    documents = Document.objects.filter(dossier=dossier)
    if current_only:
        documents = documents.filter(is_current=True)
    if criterion_ids is not None:
        documents = documents.filter(criterion_id__in=criterion_ids)
    return documents.select_related("criterion", "uploaded_by", "duplicate_of__criterion").order_by(
        "criterion__order", "criterion__code", "-version"
    )
