from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from audits import services as audit_services
from audits.models import Assignment
from documents import services as document_services
from documents.models import Document
from labelflow.errors import InvalidInput, NotVisible

from .. import selectors
from ..models import Award, Campaign, Collectivity, Dossier
from ..services import dossiers as dossier_services
from ..services.transitions import available_transitions, perform_transition
from . import serializers as s


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Campaign.objects.select_related("scheme").order_by("-opens_at", "id")

    def get_serializer_class(self):
        return s.CampaignDetailSerializer if self.action == "retrieve" else s.CampaignSerializer

    def get_queryset(self):
        campaigns = self.queryset
        if self.action == "retrieve":
            return campaigns.prefetch_related(
                "categories", "referential__chapters__criteria", "referential__levels"
            )
        status_filter = self.request.query_params.get("status")
        if status_filter:
            if status_filter not in Campaign.STATUSES:
                raise InvalidInput(
                    _("The status must be one of: %s.") % ", ".join(Campaign.STATUSES)
                )
            campaigns = campaigns.with_status(status_filter)
        return campaigns

    @extend_schema(parameters=[OpenApiParameter("status", enum=list(Campaign.STATUSES))])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class CollectivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):  # fmt: skip
    serializer_class = s.CollectivitySerializer
    queryset = Collectivity.objects.none()  # the schema's model; get_queryset filters by user

    def get_queryset(self):
        return selectors.collectivities_visible_to(self.request.user).order_by("name", "id")

    def get_object(self):
        return selectors.get_collectivity_for(self.request.user, self.kwargs["pk"])

    def create(self, request):
        data = _valid(s.CollectivitySerializer, request.data)
        collectivity = dossier_services.collectivity_create(by=request.user, **data)
        return Response(s.CollectivitySerializer(collectivity).data, status=201)

    @extend_schema(methods=["get"], responses=s.MembershipSerializer(many=True))
    @extend_schema(
        methods=["post"], request=s.MemberInputSerializer, responses={201: s.MembershipSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        collectivity = self.get_object()
        if request.method == "GET":
            memberships = collectivity.memberships.select_related("user").order_by("user__username")
            page = self.paginate_queryset(memberships)
            return self.get_paginated_response(s.MembershipSerializer(page, many=True).data)
        data = _valid(s.MemberInputSerializer, request.data)
        membership = dossier_services.member_add(
            collectivity=collectivity, username=data["username"], role=data["role"],
            by=request.user,
        )  # fmt: skip
        return Response(s.MembershipSerializer(membership).data, status=201)


class DossierViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DossierSerializer
    queryset = Dossier.objects.none()  # the schema's model; get_queryset filters by user
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.dossiers_visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter("state", enum=list(Dossier.State.values)),
            OpenApiParameter("campaign", int),
            OpenApiParameter("collectivity", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        filters = _valid(s.DossierFilterSerializer, request.query_params)
        self.queryset_filters = {k: v for k, v in filters.items() if v is not None}
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        return queryset.filter(**getattr(self, "queryset_filters", {}))

    def _dossier(self, perm=None):
        return selectors.get_dossier_for(self.request.user, self.kwargs["pk"], perm=perm)

    def _detail(self, dossier):
        dossier.available_transitions = available_transitions(dossier, self.request.user)
        dossier.criteria = selectors.dossier_criteria(dossier)
        dossier.record = selectors.dossier_record(dossier)
        return s.DossierDetailSerializer(dossier).data

    @extend_schema(responses=s.DossierDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(self._detail(self._dossier()))

    @extend_schema(request=s.DossierCreateSerializer, responses={201: s.DossierDetailSerializer})
    def create(self, request):
        data = _valid(s.DossierCreateSerializer, request.data)
        # 404 if the user cannot see it; the service says 403 if they see it but may not apply.
        collectivity = selectors.get_collectivity_for(request.user, data["collectivity"])
        campaign = Campaign.objects.filter(pk=data["campaign"]).first()
        if campaign is None:
            raise InvalidInput(_("No such campaign."))
        dossier = dossier_services.dossier_create(
            collectivity=collectivity, campaign=campaign, category_code=data.get("category"),
            by=request.user,
        )  # fmt: skip
        return Response(self._detail(self._dossier_after(dossier)), status=201)

    def _dossier_after(self, dossier):
        return selectors.get_dossier_for(self.request.user, dossier.pk)

    @extend_schema(request=s.ResponseInputSerializer, responses=s.ResponseSerializer)
    @action(detail=True, methods=["put"], url_path=r"responses/(?P<criterion_code>[^/]+)")
    def responses(self, request, pk=None, criterion_code=None):
        dossier = self._dossier()
        data = _valid(s.ResponseInputSerializer, request.data)
        response = dossier_services.response_save(
            dossier=dossier, criterion_code=criterion_code, answer=data["answer"],
            self_points=data.get("self_points"), by=request.user,
        )  # fmt: skip
        return Response(s.ResponseSerializer(response).data)

    @extend_schema(methods=["get"], responses=s.DocumentSerializer(many=True))
    @extend_schema(
        methods=["post"], request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentSerializer},
    )  # fmt: skip
    @action(detail=True, methods=["get", "post"])
    def documents(self, request, pk=None):
        dossier = self._dossier()
        if request.method == "POST":
            data = _valid(s.DocumentUploadSerializer, request.data)
            document = document_services.document_upload(
                dossier=dossier, criterion_code=data["criterion"], upload=data["file"],
                by=request.user,
            )  # fmt: skip
            return Response(s.DocumentSerializer(document).data, status=201)
        documents = dossier.documents.filter(is_current=True).select_related(
            "criterion", "uploaded_by"
        )
        page = self.paginate_queryset(documents)
        return self.get_paginated_response(s.DocumentSerializer(page, many=True).data)

    @extend_schema(request=s.TransitionInputSerializer, responses=s.DossierDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[^/]+)")
    def transitions(self, request, pk=None, name=None):
        dossier = self._dossier()
        data = _valid(s.TransitionInputSerializer, request.data)
        comment = data.pop("comment", "")
        dossier = perform_transition(
            dossier=dossier, name=name, by=request.user, comment=comment, data=data
        )
        return Response(self._detail(self._dossier_after(dossier)))

    @extend_schema(responses=s.TransitionLogSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        dossier = self._dossier()
        page = self.paginate_queryset(dossier.history.select_related("actor").order_by("at", "id"))
        return self.get_paginated_response(s.TransitionLogSerializer(page, many=True).data)

    @extend_schema(request=s.AssignmentInputSerializer, responses={201: s.AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def assignments(self, request, pk=None):
        dossier = self._dossier()
        data = _valid(s.AssignmentInputSerializer, request.data)
        assignment = audit_services.assignment_create(
            dossier=dossier, auditor_username=data["auditor"], role=data["role"], by=request.user
        )
        return Response(s.AssignmentSerializer(assignment).data, status=201)

    @extend_schema(request=s.AssessmentInputSerializer, responses={201: s.AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def assessments(self, request, pk=None):
        dossier = self._dossier()
        data = _valid(s.AssessmentInputSerializer, request.data)
        assessment = audit_services.assessment_record(
            dossier=dossier, criterion_code=data["criterion"], rating=data["rating"],
            points=data["points"], comment=data["comment"], by=request.user,
        )  # fmt: skip
        return Response(s.AssessmentSerializer(assessment).data, status=201)


class DocumentViewSet(viewsets.GenericViewSet):
    queryset = Document.objects.all()
    serializer_class = s.DocumentSerializer

    @extend_schema(responses={302: None})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = Document.objects.filter(pk=pk).first() if selectors.is_id(pk) else None
        if document is None:
            raise NotVisible(_("No such document."))
        selectors.get_dossier_for(request.user, document.dossier_id)
        return HttpResponseRedirect(document_services.document_download_url(document=document))


class AssignmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """An auditor's assignments: where they declare their conflicts of interest."""

    serializer_class = s.AssignmentSerializer
    queryset = Assignment.objects.none()  # the schema's model; get_queryset filters by user

    def get_queryset(self):
        return (
            Assignment.objects.filter(auditor=self.request.user, ended_at__isnull=True)
            .select_related("auditor")
            .order_by("-assigned_at", "-id")
        )

    @extend_schema(request=s.DeclareInputSerializer, responses=s.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        assignment = audit_services.get_assignment_for(request.user, pk)
        data = _valid(s.DeclareInputSerializer, request.data)
        assignment = audit_services.assignment_declare(
            assignment=assignment, by=request.user, has_conflict=data["has_conflict"],
            details=data["details"],
        )  # fmt: skip
        return Response(s.AssignmentSerializer(assignment).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Managers end an assignment; the auditor loses access to the dossier."""
        assignment = audit_services.get_assignment_for(request.user, pk)
        audit_services.assignment_end(assignment=assignment, by=request.user)
        return Response(status=204)


class RegistryViewSet(viewsets.ReadOnlyModelViewSet):
    """The public registry of certificates."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = s.RegistryEntrySerializer
    lookup_field = "certificate_number"
    queryset = Award.objects.select_related(
        "dossier__collectivity", "dossier__campaign__scheme", "level"
    ).order_by("-valid_from", "-id")

    def get_object(self):
        return get_object_or_404(
            self.queryset, certificate_number=self.kwargs["certificate_number"]
        )
