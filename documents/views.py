"""Evidence on the dossier page: upload to a criterion, download through a short-lived URL."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from certification import selectors as dossier_selectors
from certification.views.common import attempt
from certification.views.dossiers import criterion_result, dossier_context, show_page

from . import selectors, services
from .forms import DocumentUploadForm


@csrf_exempt  # checked by `_upload`: reading the token reads the form, so the receiver first
@login_required
@require_POST
def document_upload(request, pk):
    dossier = dossier_selectors.get_dossier_for(request.user, pk)
    with services.document_receiver(dossier=dossier, by=request.user) as receiver:
        request.upload_handlers = [receiver]  # the file goes to the store as the form is read
        return _upload(request, dossier)


@csrf_protect
def _upload(request, dossier):
    code = request.POST.get("criterion", "")
    form = DocumentUploadForm(request.POST, request.FILES, auto_id=f"id_upload_{code}_%s")
    outcome = None
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.document_upload(
                dossier=dossier, criterion_code=code, upload=form.cleaned_data["file"],
                by=request.user,
            ),
            announce=not request.htmx,
        )  # fmt: skip
    done = _uploaded(outcome.value) if outcome else ""
    return criterion_result(request, dossier, code, f"upload:{code}", form, outcome, done,
                            part="evidence")  # fmt: skip


def _uploaded(document) -> str:
    said = _("“%(file)s” is version %(version)s of %(criterion)s.") % {
        "file": document.filename, "version": document.version,
        "criterion": document.criterion.code,
    }  # fmt: skip
    if document.duplicate_of is not None:
        said += " " + _("Its bytes are the same as “%(file)s” (%(criterion)s, v%(version)s).") % {
            "file": document.duplicate_of.filename, "version": document.duplicate_of.version,
            "criterion": document.duplicate_of.criterion.code,
        }  # fmt: skip
    if document.scan_status == document.ScanStatus.PENDING:
        said += " " + _("It is being scanned for viruses.")
    return said


@login_required
def document_download(request, pk):
    """Same as the API: check access to the dossier, then redirect to a short-lived URL."""
    document = selectors.get_document_for(request.user, pk)
    outcome = attempt(request, lambda: services.document_download_url(document=document))
    if not outcome:
        dossier = dossier_selectors.get_dossier_for(request.user, document.dossier_id)
        return show_page(request, dossier, outcome.status)
    return HttpResponseRedirect(outcome.value)


@login_required
def certificate_download(request, number):
    """The award's PDF certificate, for whoever may see its dossier."""
    award = selectors.get_certificate_for(request.user, number)
    return _to_pdf(request, award.dossier, lambda: services.certificate_download_url(award=award))


@login_required
def report_download(request, pk):
    """An issued audit report's PDF, for whoever may see its dossier."""
    issued = selectors.get_issued_report_for(request.user, pk)
    return _to_pdf(request, issued.dossier, lambda: services.report_download_url(issued=issued))


def _to_pdf(request, dossier, link):
    """To the PDF's short-lived link; the dossier page with the reason when the store is down."""
    outcome = attempt(request, link)
    if not outcome:
        return show_page(request, dossier, outcome.status)
    return HttpResponseRedirect(outcome.value)


@login_required
@require_GET
def document_status(request, pk):
    """One file's line on the dossier page: polled by htmx while its scan is pending. Once
    the scan has spoken, the actions panel, the progress and the criterion's badges come
    with it (out of band): a clean file may be what made "submit" possible."""
    document = selectors.get_document_for(request.user, pk)
    context = {"document": document}
    if document.scan_status != document.ScanStatus.PENDING:
        dossier = dossier_selectors.get_dossier_for(request.user, document.dossier_id)
        code = document.criterion.code
        context = {**dossier_context(request.user, dossier, only=code), **context, "settled": True}
    return render(request, "documents/partials/document.html", context)
