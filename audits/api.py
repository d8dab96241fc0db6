"""The audit's API: assignments, declarations, assessments and corrective action reviews."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import selectors as dossier_selectors
from certification.api.common import valid

from . import selectors, services, surveillance
from . import serializers as s
from .models import Assignment, CorrectiveAction, Surveillance


class DossierAssignmentsView(APIView):
    """Managers assign an auditor to a dossier."""

    @extend_schema(request=s.AssignmentInputSerializer, responses={201: s.AssignmentSerializer})
    def post(self, request, pk):
        dossier = dossier_selectors.get_dossier_for(request.user, pk)
        data = valid(s.AssignmentInputSerializer, request.data)
        assignment = services.assignment_create(
            dossier=dossier, auditor_username=data["auditor"], role=data["role"], by=request.user
        )
        return Response(s.AssignmentSerializer(assignment).data, status=201)


class DossierAssessmentsView(APIView):
    """The dossier's auditors assess a criterion."""

    @extend_schema(request=s.AssessmentInputSerializer, responses={201: s.AssessmentSerializer})
    def post(self, request, pk):
        dossier = dossier_selectors.get_dossier_for(request.user, pk)
        data = valid(s.AssessmentInputSerializer, request.data)
        assessment = services.assessment_record(
            dossier=dossier, criterion_code=data["criterion"], rating=data["rating"],
            points=data["points"], comment=data["comment"], by=request.user,
        )  # fmt: skip
        return Response(s.AssessmentSerializer(assessment).data, status=201)


class CorrectiveActionViewSet(viewsets.GenericViewSet):
    """The dossier's auditors accept or reject a corrective action."""

    serializer_class = s.CorrectiveActionSerializer
    queryset = CorrectiveAction.objects.none()  # the schema's model; the selectors read

    @extend_schema(
        request=s.CorrectiveActionReviewInputSerializer, responses=s.CorrectiveActionSerializer
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        corrective_action = selectors.get_corrective_action_for(request.user, pk)
        data = valid(s.CorrectiveActionReviewInputSerializer, request.data)
        corrective_action = services.corrective_action_review(
            action=corrective_action, by=request.user, accepted=data["decision"] == "accept",
            reason=data["reason"],
        )  # fmt: skip
        return Response(s.CorrectiveActionSerializer(corrective_action).data)


class DossierSurveillancesView(APIView):
    """A label's surveillance audits, due and done."""

    @extend_schema(responses=s.SurveillanceSerializer(many=True))
    def get(self, request, pk):
        dossier = dossier_selectors.get_dossier_for(request.user, pk)
        surveillances = selectors.dossier_surveillances(dossier)
        return Response(s.SurveillanceSerializer(surveillances, many=True).data)


class SurveillanceViewSet(viewsets.GenericViewSet):
    """A surveillance audit: managers assign it, its auditor checks and concludes it."""

    serializer_class = s.SurveillanceDetailSerializer
    queryset = Surveillance.objects.none()  # the schema's model; the selectors read

    def retrieve(self, request, pk=None):
        found = selectors.get_surveillance_for(request.user, pk)
        found.items = surveillance.surveillance_items(found)
        return Response(s.SurveillanceDetailSerializer(found).data)

    @extend_schema(request=s.SurveillanceAssignInputSerializer, responses=s.SurveillanceSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        found = selectors.get_surveillance_for(request.user, pk)
        data = valid(s.SurveillanceAssignInputSerializer, request.data)
        found = surveillance.surveillance_assign(
            surveillance=found, auditor_username=data["auditor"], by=request.user
        )
        return Response(s.SurveillanceSerializer(found).data)

    @extend_schema(request=s.SurveillanceCheckInputSerializer,
                   responses={201: s.SurveillanceCheckSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def checks(self, request, pk=None):
        found = selectors.get_surveillance_for(request.user, pk)
        data = valid(s.SurveillanceCheckInputSerializer, request.data)
        check = surveillance.surveillance_check(
            surveillance=found, by=request.user, criterion_code=data["criterion"],
            result=data["result"], comment=data["comment"],
        )  # fmt: skip
        return Response(s.SurveillanceCheckSerializer(check).data, status=201)

    @extend_schema(request=s.SurveillanceConcludeInputSerializer,
                   responses=s.SurveillanceSerializer)  # fmt: skip
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        found = selectors.get_surveillance_for(request.user, pk)
        data = valid(s.SurveillanceConcludeInputSerializer, request.data)
        found = surveillance.surveillance_conclude(
            surveillance=found, by=request.user, outcome=data["outcome"],
            conclusion=data["conclusion"],
        )  # fmt: skip
        return Response(s.SurveillanceSerializer(found).data)


class AssignmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """An auditor's assignments: where they declare their conflicts of interest."""

    serializer_class = s.AssignmentSerializer
    queryset = Assignment.objects.none()  # the schema's model; get_queryset filters by user

    def get_queryset(self):
        return selectors.current_assignments_of(self.request.user)

    @extend_schema(request=s.DeclareInputSerializer, responses=s.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        assignment = selectors.get_assignment_for(request.user, pk)
        data = valid(s.DeclareInputSerializer, request.data)
        assignment = services.assignment_declare(
            assignment=assignment, by=request.user, has_conflict=data["has_conflict"],
            details=data["details"],
        )  # fmt: skip
        return Response(s.AssignmentSerializer(assignment).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Managers end an assignment; the auditor loses access to the dossier."""
        assignment = selectors.get_assignment_for(request.user, pk)
        services.assignment_end(assignment=assignment, by=request.user)
        return Response(status=204)
