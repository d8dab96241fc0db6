"""The evidence's API: a dossier's documents (every version), uploads and downloads."""

from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import selectors as dossier_selectors
from certification.api.common import valid

from . import selectors, services
from .models import Document
from .serializers import DocumentSerializer, DocumentUploadSerializer


class DossierDocumentsView(GenericAPIView):
    serializer_class = DocumentSerializer
    queryset = Document.objects.none()  # the schema's model; the selectors read
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        responses=DocumentSerializer(many=True),
        parameters=[OpenApiParameter(
            "current", bool, description="Only each criterion's current version.",
        )],
    )  # fmt: skip
    def get(self, request, pk):
        dossier = dossier_selectors.get_dossier_for(request.user, pk)
        current_only = request.query_params.get("current", "").lower() in {"1", "true", "yes"}
        documents = selectors.dossier_documents(dossier, current_only=current_only)
        page = self.paginate_queryset(documents)
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    def post(self, request, pk):
        dossier = dossier_selectors.get_dossier_for(request.user, pk)
        # The file goes to the store as the form is read (unless a session's CSRF check has
        # read it already: then it is a file in hand, which the service stores).
        with services.document_receiver(dossier=dossier, by=request.user) as receiver:
            request.upload_handlers = [receiver]
            data = valid(DocumentUploadSerializer, request.data)
            document = services.document_upload(
                dossier=dossier, criterion_code=data["criterion"], upload=data["file"],
                by=request.user,
            )  # fmt: skip
        return Response(DocumentSerializer(document).data, status=201)


class DocumentViewSet(viewsets.GenericViewSet):
    queryset = Document.objects.none()  # the schema's model; the selectors read
    serializer_class = DocumentSerializer

    @extend_schema(responses={302: None})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = selectors.get_document_for(request.user, pk)
        return HttpResponseRedirect(services.document_download_url(document=document))


class CertificatePdfView(APIView):
    """The award's PDF certificate: a redirect to a short-lived link (302)."""

    @extend_schema(responses={302: None})
    def get(self, request, number):
        award = selectors.get_certificate_for(request.user, number)
        return HttpResponseRedirect(services.certificate_download_url(award=award))


class ReportPdfView(APIView):
    """An issued audit report's PDF: a redirect to a short-lived link (302)."""

    @extend_schema(responses={302: None})
    def get(self, request, pk):
        issued = selectors.get_issued_report_for(request.user, pk)
        return HttpResponseRedirect(services.report_download_url(issued=issued))
