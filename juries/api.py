"""The jury's API: juries, declarations, score sheets, deliberations and the results."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import selectors as certification_selectors
from certification.api.common import campaign_field, valid
from certification.errors import InvalidInput
from certification.selectors import is_id

from . import records, results, selectors, services
from . import serializers as s
from .models import Deliberation, Jury, ScoreSheet
from .views_chair import attachment


class JuryViewSet(viewsets.GenericViewSet):
    """Managers set up a jury for a trophy campaign or one of its categories, and list them
    all; a juror lists the juries they sit on."""

    serializer_class = s.JurySerializer
    queryset = Jury.objects.none()  # the schema's model

    @extend_schema(parameters=[OpenApiParameter("campaign", int, description="Only this "
                                                "campaign's juries.")])  # fmt: skip
    def list(self, request):
        campaign = request.query_params.get("campaign")
        if campaign is not None and not is_id(campaign):
            raise InvalidInput(_("The campaign is a number."))
        juries = self.paginate_queryset(selectors.juries_for(request.user, campaign))
        return self.get_paginated_response(s.JurySerializer(juries, many=True).data)

    @extend_schema(request=s.JuryInputSerializer, responses={201: s.JurySerializer})
    def create(self, request):
        data = valid(s.JuryInputSerializer, request.data)
        jury = services.jury_create(
            campaign=campaign_field(data["campaign"]), category_code=data.get("category"),
            name=data["name"], members=data["members"], chair=data["chair"], by=request.user,
        )  # fmt: skip
        return Response(s.JurySerializer(jury).data, status=201)

    @extend_schema(
        responses=s.JuryResultsSerializer,
        parameters=[OpenApiParameter("normalised", bool, description="Rank on the means "
                                     "normalised per juror (z-scores rescaled).")],
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """For the chair and managers: the ranking per category, and who has scored what."""
        jury = selectors.get_jury_for_chair(request.user, pk)
        normalised = request.query_params.get("normalised", "").lower() in {"1", "true", "yes"}
        ranked = results.jury_results(jury, normalised=normalised)
        data = {
            "normalised": normalised,
            "categories": [{"category": code, "entries": rows} for code, rows in ranked.items()],
            "jurors": selectors.jury_progress(jury),
        }
        return Response(s.JuryResultsSerializer(data).data)

    @extend_schema(request=s.CloseInputSerializer, responses={201: s.DeliberationSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """The chair closes the deliberation on a category: the scores lock, the ranking is
        kept, and the chair may designate laureates and finalists."""
        jury = selectors.get_jury_for_chair(request.user, pk)
        data = valid(s.CloseInputSerializer, request.data)
        deliberation = services.deliberation_close(
            jury=jury, category_code=data.get("category"), by=request.user
        )
        return Response(s.DeliberationSerializer(deliberation).data, status=201)

    @extend_schema(request=None, responses=s.RemindedSerializer)
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        """Mail the jurors who still have entries to declare on or sheets to submit."""
        jury = selectors.get_jury_for_chair(request.user, pk)
        return Response({"reminded": services.jurors_remind(jury=jury, by=request.user)})


class DeliberationViewSet(viewsets.GenericViewSet):
    """A closed deliberation's record and designations, for its jury and managers."""

    serializer_class = s.DeliberationSerializer
    queryset = Deliberation.objects.none()  # the schema's model

    def retrieve(self, request, pk=None):
        deliberation = selectors.get_deliberation_for(request.user, pk)
        return Response(s.DeliberationSerializer(deliberation).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        deliberation = selectors.get_deliberation_for(request.user, pk)
        return attachment(records.record_csv(deliberation), "text/csv; charset=utf-8",
                           f"deliberation-{deliberation.pk}.csv")  # fmt: skip

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        deliberation = selectors.get_deliberation_for(request.user, pk)
        return attachment(records.record_pdf(deliberation), "application/pdf",
                           f"deliberation-{deliberation.pk}.pdf")  # fmt: skip


class PublishResultsView(APIView):
    @extend_schema(request=None, responses={201: s.PublicationSerializer})
    def post(self, request, pk):
        """A manager publishes a trophy campaign's results (laureates page, feedback,
        trophies)."""
        campaign = certification_selectors.get_campaign(pk)
        publication = services.results_publish(campaign=campaign, by=request.user)
        return Response(s.PublicationSerializer(publication).data, status=201)


class LaureatesView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=s.LaureatesSerializer)
    def get(self, request, pk):
        """A published campaign's laureates and finalists, with their citations (public)."""
        campaign, designations = selectors.laureates(pk)
        return Response(s.LaureatesSerializer(
            {"campaign": campaign, "designations": designations}).data)  # fmt: skip


class FeedbackView(APIView):
    @extend_schema(responses=s.FeedbackSerializer)
    def get(self, request, pk):
        """The jury's feedback on an entry, for the entrant once the results are published."""
        dossier = certification_selectors.get_dossier_for(request.user, pk)
        return Response(s.FeedbackSerializer(selectors.feedback_for(request.user, dossier)).data)


class JurorEntriesView(APIView):
    """The shortlisted entries of the user's juries, and where they stand on each."""

    @extend_schema(responses=s.JurorEntrySerializer(many=True))
    def get(self, request):
        return Response(s.JurorEntrySerializer(selectors.juror_entries(request.user),
                                               many=True).data)  # fmt: skip


class DeclarationView(APIView):
    @extend_schema(request=s.DeclarationInputSerializer, responses={201: s.DeclarationSerializer})
    def post(self, request, pk):
        dossier = selectors.get_entry_for(request.user, pk)
        data = valid(s.DeclarationInputSerializer, request.data)
        declaration = services.declare(
            dossier=dossier, by=request.user, has_conflict=data["has_conflict"],
            reason=data["reason"],
        )  # fmt: skip
        return Response(s.DeclarationSerializer(declaration).data, status=201)


class ScoresView(APIView):
    """A juror scores an entry, criterion by criterion; the chair reads every sheet."""

    @extend_schema(responses=s.ScoreSheetSerializer(many=True))
    def get(self, request, pk):
        dossier = selectors.get_entry_for(request.user, pk)
        sheets = selectors.sheets_for(request.user, dossier)
        return Response(s.ScoreSheetSerializer(sheets, many=True).data)

    @extend_schema(request=s.ScoreInputSerializer, responses={201: s.ScoreSerializer})
    def post(self, request, pk):
        dossier = selectors.get_entry_for(request.user, pk)
        data = valid(s.ScoreInputSerializer, request.data)
        score = services.score_save(
            dossier=dossier, by=request.user, criterion_code=data["criterion"],
            points=data["points"], comment=data["comment"],
        )  # fmt: skip
        return Response(s.ScoreSerializer(score).data, status=201)


class SubmitScoresView(APIView):
    @extend_schema(request=None, responses=s.ScoreSheetSerializer)
    def post(self, request, pk):
        dossier = selectors.get_entry_for(request.user, pk)
        sheet = services.sheet_submit(dossier=dossier, by=request.user)
        return Response(s.ScoreSheetSerializer(sheet).data)


class ScoreSheetViewSet(viewsets.GenericViewSet):
    serializer_class = s.ScoreSheetSerializer
    queryset = ScoreSheet.objects.none()  # the schema's model

    @extend_schema(request=s.ReopenInputSerializer, responses=s.ScoreSheetSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The chair sends a submitted sheet back to its juror (kept with the reason)."""
        sheet = selectors.get_sheet_for(request.user, pk)
        data = valid(s.ReopenInputSerializer, request.data)
        sheet = services.sheet_reopen(sheet=sheet, by=request.user, reason=data["reason"])
        return Response(s.ScoreSheetSerializer(sheet).data)
