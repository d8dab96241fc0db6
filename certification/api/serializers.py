from django.urls import reverse
from rest_framework import serializers

from audits.serializers import (
    FindingSerializer,
    InformationRequestSerializer,
    IssuedReportSerializer,
    ReportSerializer,
)

from ..models import (
    Award,
    Campaign,
    Category,
    Chapter,
    Collectivity,
    Criterion,
    Decision,
    Dossier,
    Level,
    Membership,
    Referential,
    Scheme,
    TransitionLog,
)  # fmt: skip
from ..selectors import MAX_ID


class SchemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scheme
        fields = ["code", "name", "kind"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["code", "title", "guidance", "mandatory", "max_points", "weight", "sdg_goals",
                  "required_evidence"]  # fmt: skip


class ChapterSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Chapter
        fields = ["code", "title", "criteria"]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["code", "name", "min_score", "max_score"]


class ReferentialSerializer(serializers.ModelSerializer):
    chapters = ChapterSerializer(many=True, read_only=True)
    levels = LevelSerializer(many=True, read_only=True)

    class Meta:
        model = Referential
        fields = ["version", "title", "max_score", "published_at", "chapters", "levels"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "min_population", "max_population"]


class CategoryFitSerializer(CategorySerializer):
    fits = serializers.BooleanField(help_text="Whether the collectivity's population fits.")
    reason = serializers.CharField(allow_blank=True, help_text="Why not; empty when it fits.")

    class Meta(CategorySerializer.Meta):
        fields = [*CategorySerializer.Meta.fields, "fits", "reason"]


class CollectivityPopulationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    population = serializers.IntegerField()


class CategoryChoiceSerializer(serializers.Serializer):
    """A campaign's categories for one collectivity."""

    collectivity = CollectivityPopulationSerializer()
    category = serializers.CharField(
        source="category.code", default=None, allow_null=True,
        help_text="The only category that fits: the one a dossier opened without a category "
        "takes. Null when none or several fit, or the campaign has no categories.",
    )  # fmt: skip
    note = serializers.CharField(
        allow_blank=True, help_text="Why no category is chosen: none fits, or several do."
    )
    categories = CategoryFitSerializer(many=True)


class CategoryQuerySerializer(serializers.Serializer):
    collectivity = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class CampaignSerializer(serializers.ModelSerializer):
    scheme = SchemeSerializer(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "year", "opens_at", "closes_at", "status", "scheme"]


class CampaignDetailSerializer(CampaignSerializer):
    referential = ReferentialSerializer(read_only=True)
    categories = CategorySerializer(many=True, read_only=True)

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "categories", "referential"]


class CollectivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Collectivity
        fields = ["id", "name", "kind", "siren", "insee_code", "population", "department",
                  "region"]  # fmt: skip
        # Validation (SIREN checksum, INSEE format, uniqueness) is the service's.
        extra_kwargs = {"siren": {"validators": []}}


class MemberInputSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = Membership
        fields = ["username", "role"]


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DossierSerializer(serializers.ModelSerializer):
    collectivity = NamedSerializer(read_only=True)
    campaign = NamedSerializer(read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    scheme = serializers.CharField(source="campaign.scheme.code", read_only=True)

    class Meta:
        model = Dossier
        fields = ["id", "collectivity", "campaign", "scheme", "category", "state",
                  "created_at", "submitted_at", "renews"]  # fmt: skip

    renews = serializers.SlugRelatedField(
        slug_field="certificate_number", read_only=True, allow_null=True,
        help_text="The certificate this dossier renews, if it is a renewal.",
    )  # fmt: skip


class DossierCriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    mandatory = serializers.BooleanField()
    max_points = serializers.IntegerField()
    answered = serializers.BooleanField()
    answer = serializers.CharField(allow_blank=True)
    self_points = serializers.IntegerField(allow_null=True)
    documents = serializers.IntegerField(help_text="How many current, clean documents.")


class DecisionSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="level.code", default=None, allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username")

    class Meta:
        model = Decision
        fields = ["outcome", "level", "reasons", "decided_by", "decided_at"]


class CertificateSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="level.code", default=None, allow_null=True)
    pdf = serializers.SerializerMethodField(help_text="The PDF certificate (a redirect).")
    verification_url = serializers.CharField(read_only=True)

    class Meta:
        model = Award
        fields = ["certificate_number", "level", "valid_from", "valid_until", "status",
                  "verification_code", "verification_url", "pdf", "certificate_sha256"]  # fmt: skip

    def get_pdf(self, award) -> str:
        return reverse("api-certificate-pdf", args=[award.certificate_number])


class DossierRecordSerializer(serializers.Serializer):
    """What the audit and the decision produced so far."""

    report = ReportSerializer(allow_null=True)
    issued_reports = IssuedReportSerializer(many=True, help_text="Every issue of the report.")
    decision = DecisionSerializer(allow_null=True)
    certificate = CertificateSerializer(allow_null=True)
    findings = FindingSerializer(many=True, help_text="Ids to name in corrective action plans.")
    information_requests = InformationRequestSerializer(many=True)


class MissingSerializer(serializers.Serializer):
    """One thing to fix before an action can run."""

    code = serializers.CharField(help_text="e.g. criterion_unanswered, evidence_missing.")
    detail = serializers.CharField()
    criterion = serializers.CharField(required=False, help_text="The criterion's code.")
    finding = serializers.IntegerField(required=False, help_text="The finding's id.")
    field = serializers.CharField(required=False, help_text="The input field left empty.")


class ActionSerializer(serializers.Serializer):
    """An action this user is entitled to on the dossier, allowed now or blocked."""

    name = serializers.CharField(
        help_text="A transition's name, or answer, upload, assess, assign."
    )
    type = serializers.ChoiceField(choices=["transition", "edit"])
    allowed = serializers.BooleanField()
    detail = serializers.CharField(allow_blank=True, help_text="Why it is blocked.")
    missing = MissingSerializer(many=True)


class DossierDetailSerializer(DossierSerializer):
    available_transitions = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text="The transitions this user may run now.",
    )  # fmt: skip
    actions = ActionSerializer(many=True, read_only=True)
    criteria = DossierCriterionSerializer(many=True, read_only=True)
    record = DossierRecordSerializer(read_only=True)

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "available_transitions", "actions", "criteria",
                  "record"]  # fmt: skip


class DossierFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Dossier.State.choices, required=False)
    campaign = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    collectivity = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class DossierCreateSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    collectivity = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    category = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class RenewInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="An open campaign of the label's scheme."
    )
    category = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class ResponseInputSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, max_length=20000)
    self_points = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class ResponseSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="criterion.code")
    answer = serializers.CharField()
    self_points = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField()


class TransitionLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = TransitionLog
        fields = ["transition", "source", "target", "actor", "at", "comment", "hash"]


class RegistryEntrySerializer(serializers.ModelSerializer):
    collectivity = serializers.CharField(source="collectivity_name")
    scheme = serializers.CharField(source="scheme_name")
    level = serializers.CharField(source="level_name", allow_null=True)

    class Meta:
        model = Award
        fields = ["certificate_number", "collectivity", "scheme", "level", "valid_from",
                  "valid_until", "status"]  # fmt: skip
