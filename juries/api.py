"""The jury's API: juries, declarations, score sheets."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.api.common import campaign_field, valid

from . import results, selectors, services
from . import serializers as s
from .models import Jury, ScoreSheet


class JuryViewSet(viewsets.GenericViewSet):
    """Managers set up a jury for a trophy campaign or one of its categories."""

    serializer_class = s.JurySerializer
    queryset = Jury.objects.none()  # the schema's model

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
