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


def dossier_documents(dossier: Dossier, current_only=False) -> QuerySet[Document]:
    """The dossier's evidence, every version (or only the current ones), by criterion then
    newest version first, each with the original it has the same bytes as."""
    return _documents(dossier, current_only).select_related("duplicate_of__criterion")


def dossier_files(dossier: Dossier) -> list[Document]:
    """`dossier_documents`, every version, for the dossier page: the originals of the
    duplicates are read apart, and only when there is one (joining a document and its
    criterion a second time to every row cost a third of the query)."""
    documents = list(_documents(dossier))
    originals = {d.duplicate_of_id for d in documents if d.duplicate_of_id is not None}
    if originals:
        found = Document.objects.select_related("criterion").in_bulk(originals)
        for document in documents:
            if document.duplicate_of_id is not None:
                document.duplicate_of = found[document.duplicate_of_id]
    return documents


def _documents(dossier: Dossier, current_only=False) -> QuerySet[Document]:
    documents = Document.objects.filter(dossier=dossier)
    if current_only:
        documents = documents.filter(is_current=True)
    return documents.select_related("criterion", "uploaded_by").order_by(
        "criterion__order", "criterion__code", "-version"
    )
