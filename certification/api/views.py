"""The API of campaigns, collectivities, dossiers and the public registry. The audit's
endpoints live in `audits.api`, the evidence's in `documents.api`."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .. import categories, selectors
from ..auth import locked_out
from ..errors import InvalidInput
from ..forms import RegistryFilterForm
from ..lifecycle import STEPS, dossier_actions
from ..models import Campaign, Collectivity, Dossier
from ..services import dossiers as dossier_services
from ..services import renewal
from ..services.transitions import perform_transition
from . import serializers as s
from .common import RegistryPagination, campaign_field, valid
from .inputs import transition_input_schema


class TokenView(ObtainAuthToken):
    """`POST /api/v1/auth/token/`. Failed attempts lock the account or the address out
    (django-axes, which marks the request it saw: DRF's); successes never do."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):
                return locked_out(request)
            raise


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Campaign.objects.none()  # the schema's model; the selectors read

    def get_serializer_class(self):
        return s.CampaignDetailSerializer if self.action == "retrieve" else s.CampaignSerializer

    def get_queryset(self):
        return selectors.campaigns(self.request.query_params.get("status", ""))

    def get_object(self):
        return selectors.get_campaign(self.kwargs["pk"])

    @extend_schema(parameters=[OpenApiParameter("status", enum=list(Campaign.STATUSES))])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[OpenApiParameter("collectivity", int, required=True)],
        responses=s.CategoryChoiceSerializer,
    )
    @action(detail=True, methods=["get"])
    def categories(self, request, pk=None):
        """The campaign's categories for a collectivity you can see: which it fits and why
        not, and the one a dossier opened without a category takes."""
        campaign = selectors.get_campaign(pk, referential=False)
        query = valid(s.CategoryQuerySerializer, request.query_params)
        collectivity = selectors.get_collectivity_for(request.user, query["collectivity"])
        found = categories.choice(list(campaign.categories.all()), collectivity)
        return Response(
            s.CategoryChoiceSerializer({"collectivity": collectivity, **vars(found)}).data
        )


class CollectivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):  # fmt: skip
    serializer_class = s.CollectivitySerializer
    queryset = Collectivity.objects.none()  # the schema's model; get_queryset filters by user

    def get_queryset(self):
        return selectors.collectivities_visible_to(self.request.user).order_by("name", "id")

    def get_object(self):
        return selectors.get_collectivity_for(self.request.user, self.kwargs["pk"])

    def create(self, request):
        data = valid(s.CollectivitySerializer, request.data)
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
            page = self.paginate_queryset(selectors.collectivity_members(collectivity))
            return self.get_paginated_response(s.MembershipSerializer(page, many=True).data)
        data = valid(s.MemberInputSerializer, request.data)
        membership = dossier_services.member_add(
            collectivity=collectivity, username=data["username"], role=data["role"],
            by=request.user,
        )  # fmt: skip
        return Response(s.MembershipSerializer(membership).data, status=201)


def dossier_detail(dossier: Dossier, user) -> dict:
    """The dossier as `user` sees it: what they may do now, its criteria and its record."""
    actions = dossier_actions(user, dossier)
    dossier.available_transitions = actions.available
    dossier.actions = actions.as_list()
    dossier.criteria = selectors.dossier_criteria(dossier)
    dossier.record = selectors.dossier_record(dossier)
    return s.DossierDetailSerializer(dossier).data


class DossierViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DossierSerializer
    queryset = Dossier.objects.none()  # the schema's model; get_queryset filters by user

    def get_queryset(self):
        dossiers = selectors.dossiers_visible_to(self.request.user).select_related("renews")
        return dossiers.order_by("-created_at", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter("state", enum=list(Dossier.State.values)),
            OpenApiParameter("campaign", int),
            OpenApiParameter("collectivity", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        filters = valid(s.DossierFilterSerializer, request.query_params)
        self.queryset_filters = {k: v for k, v in filters.items() if v is not None}
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        return queryset.filter(**getattr(self, "queryset_filters", {}))

    def _dossier(self):
        return selectors.get_dossier_for(self.request.user, self.kwargs["pk"])

    @extend_schema(responses=s.DossierDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(dossier_detail(self._dossier(), request.user))

    @extend_schema(request=s.DossierCreateSerializer, responses={201: s.DossierDetailSerializer})
    def create(self, request):
        data = valid(s.DossierCreateSerializer, request.data)
        # 404 if the user cannot see it; the service says 403 if they see it but may not apply.
        collectivity = selectors.get_collectivity_for(request.user, data["collectivity"])
        campaign = campaign_field(data["campaign"])
        dossier = dossier_services.dossier_create(
            collectivity=collectivity, campaign=campaign, category_code=data.get("category"),
            by=request.user,
        )  # fmt: skip
        dossier = selectors.get_dossier_for(request.user, dossier.pk)
        return Response(dossier_detail(dossier, request.user), status=201)

    @extend_schema(request=s.RenewInputSerializer, responses={201: s.DossierDetailSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Open the renewal of this dossier's label, prefilled with its answers and evidence."""
        old = self._dossier()
        award = getattr(old, "certificate", None)
        if award is None:
            raise InvalidInput(_("This dossier holds no label to renew."))
        data = valid(s.RenewInputSerializer, request.data)
        dossier = renewal.dossier_renew(
            award=award,
            campaign=campaign_field(data["campaign"]),
            by=request.user,
            category_code=data.get("category"),
        )
        dossier = selectors.get_dossier_for(request.user, dossier.pk)
        return Response(dossier_detail(dossier, request.user), status=201)

    @extend_schema(request=s.ResponseInputSerializer, responses=s.ResponseSerializer)
    @action(detail=True, methods=["put"], url_path=r"responses/(?P<criterion_code>[^/]+)")
    def responses(self, request, pk=None, criterion_code=None):
        dossier = self._dossier()
        data = valid(s.ResponseInputSerializer, request.data)
        response = dossier_services.response_save(
            dossier=dossier, criterion_code=criterion_code, answer=data["answer"],
            self_points=data.get("self_points"), by=request.user,
        )  # fmt: skip
        return Response(s.ResponseSerializer(response).data)

    @extend_schema(
        request=transition_input_schema(),
        responses=s.DossierDetailSerializer,
        parameters=[OpenApiParameter("name", str, "path", enum=[*STEPS])],
        description="Run a transition; the request holds its own input (see AnyTransitionInput).",
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[^/]+)")
    def transitions(self, request, pk=None, name=None):
        dossier = self._dossier()
        step = STEPS.get(name)
        if step is None:
            raise InvalidInput(_("Unknown transition “%s”.") % name)
        if not isinstance(request.data, dict):
            raise InvalidInput(_("The body must be an object of the transition's fields."))
        dossier = perform_transition(dossier=dossier, name=name, by=request.user, data=request.data)
        dossier = selectors.get_dossier_for(request.user, dossier.pk)
        return Response(dossier_detail(dossier, request.user))

    @extend_schema(responses=s.TransitionLogSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        page = self.paginate_queryset(selectors.dossier_history(self._dossier()))
        return self.get_paginated_response(s.TransitionLogSerializer(page, many=True).data)


class RegistryViewSet(viewsets.ReadOnlyModelViewSet):
    """The public registry of certificates: active and suspended ones in the list, any
    certificate by its number."""

    permission_classes = [AllowAny]
    authentication_classes = []
    pagination_class = RegistryPagination
    serializer_class = s.RegistryEntrySerializer
    lookup_field = "certificate_number"
    queryset = selectors.registry()  # the schema's; get_queryset applies the filters

    def get_queryset(self):
        form = RegistryFilterForm(self.request.query_params)
        if (filters := form.filters()) is None:
            errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            raise InvalidInput(_("Invalid search."), errors=errors)
        self.filters = filters
        return selectors.registry(**filters)

    @extend_schema(parameters=[
        OpenApiParameter("search", str, description="Part of the collectivity's name."),
        OpenApiParameter("scheme", str, description="A scheme's code."),
        OpenApiParameter("level", str, description="A level's code."),
        OpenApiParameter("department", str),
        OpenApiParameter("region", str),
    ])  # fmt: skip
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        return selectors.registry_entry(self.kwargs["certificate_number"])
