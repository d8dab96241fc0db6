from rest_framework import serializers

from .models import Declaration, Deliberation, Designation, Jury, Publication, Score, ScoreSheet


class JuryInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1)
    category = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    name = serializers.CharField(max_length=200)
    members = serializers.ListField(child=serializers.CharField(), allow_empty=False,
                                    help_text="Jurors' usernames.")  # fmt: skip
    chair = serializers.CharField(help_text="One of the members, who chairs the jury.")


class JurySerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Jury
        fields = ["id", "campaign", "category", "name", "members"]

    def get_members(self, jury) -> list[dict]:
        """Read from the jury's prefetched members where a list prefetched them."""
        members = sorted(jury.members.all(), key=lambda m: m.juror.username)
        return [{"juror": m.juror.username, "name": m.juror.get_full_name(),
                 "is_chair": m.is_chair} for m in members]  # fmt: skip


class JurorEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="entry.pk")
    collectivity = serializers.CharField(source="entry.collectivity.name")
    campaign = serializers.CharField(source="entry.campaign.name")
    category = serializers.CharField(source="entry.category.code", default=None, allow_null=True)
    status = serializers.ChoiceField(
        choices=["to_declare", "recused", "not_started", "in_progress", "submitted"]
    )
    scored = serializers.IntegerField()
    criteria = serializers.IntegerField()


class DeclarationInputSerializer(serializers.Serializer):
    has_conflict = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")


class DeclarationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Declaration
        fields = ["has_conflict", "reason", "declared_at"]


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    points = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")


class ScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code")

    class Meta:
        model = Score
        fields = ["criterion", "points", "comment"]


class ScoreSheetSerializer(serializers.ModelSerializer):
    juror = serializers.CharField(source="member.juror.username")
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = ScoreSheet
        fields = ["id", "juror", "submitted_at", "scores"]


class ReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=10000)


class EntryResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="entry.pk")
    collectivity = serializers.CharField(source="entry.collectivity.name")
    sheets = serializers.DictField(child=serializers.FloatField(),
                                   help_text="Each juror's sheet, out of 100.")  # fmt: skip
    normalised = serializers.DictField(child=serializers.FloatField())
    mean = serializers.FloatField(allow_null=True)
    normalised_mean = serializers.FloatField(allow_null=True)
    spread = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True, help_text="Rank on the raw means.")
    tied = serializers.BooleanField()
    normalised_rank = serializers.IntegerField(
        allow_null=True, help_text="Rank on the normalised means."
    )
    normalised_tied = serializers.BooleanField()


class CategoryResultSerializer(serializers.Serializer):
    category = serializers.CharField(allow_blank=True)
    entries = EntryResultSerializer(many=True)


class JurorProgressSerializer(serializers.Serializer):
    juror = serializers.CharField()
    is_chair = serializers.BooleanField()
    submitted = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    recused = serializers.IntegerField()
    to_do = serializers.IntegerField()


class JuryResultsSerializer(serializers.Serializer):
    normalised = serializers.BooleanField(help_text="Whether the ranking uses normalised means.")
    categories = CategoryResultSerializer(many=True)
    jurors = JurorProgressSerializer(many=True)


class CloseInputSerializer(serializers.Serializer):
    category = serializers.CharField(
        required=False, allow_blank=True, allow_null=True,
        help_text="The category to close, for a campaign-wide jury of a campaign with categories.",
    )  # fmt: skip


class DesignationSerializer(serializers.ModelSerializer):
    entry = serializers.IntegerField(source="dossier_id")
    collectivity = serializers.CharField(source="dossier.collectivity.name")
    decided_by = serializers.CharField(source="decided_by.username")

    class Meta:
        model = Designation
        fields = ["entry", "collectivity", "outcome", "rank", "prize", "citation", "decided_by",
                  "decided_at"]  # fmt: skip


class DeliberationSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    closed_by = serializers.CharField(source="closed_by.username")
    record = serializers.JSONField(
        help_text="As kept at the close: members, recusals, rankings before and after "
                  "normalisation."
    )  # fmt: skip
    designations = DesignationSerializer(many=True, read_only=True)

    class Meta:
        model = Deliberation
        fields = ["id", "jury", "category", "closed_by", "closed_at", "record", "designations"]


class RemindedSerializer(serializers.Serializer):
    reminded = serializers.ListField(child=serializers.CharField(),
                                     help_text="The jurors reminded, by username.")  # fmt: skip


class PublicationSerializer(serializers.ModelSerializer):
    published_by = serializers.CharField(source="published_by.username")

    class Meta:
        model = Publication
        fields = ["campaign", "published_by", "published_at"]


class LaureateSerializer(serializers.ModelSerializer):
    collectivity = serializers.CharField(source="dossier.collectivity.name")
    category = serializers.CharField(source="dossier.category.name", default=None,
                                     allow_null=True)  # fmt: skip
    certificate_number = serializers.CharField(source="dossier.certificate.certificate_number",
                                               default=None, allow_null=True)  # fmt: skip

    class Meta:
        model = Designation
        fields = ["collectivity", "category", "outcome", "rank", "prize", "citation",
                  "certificate_number"]  # fmt: skip


class LaureatesSerializer(serializers.Serializer):
    campaign = serializers.CharField(source="campaign.name")
    year = serializers.IntegerField(source="campaign.year")
    designations = LaureateSerializer(many=True)


class ChapterFeedbackSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    mean = serializers.FloatField(allow_null=True, help_text="The entry's mean, out of 100.")
    category_mean = serializers.FloatField(
        allow_null=True, help_text="The category's mean, out of 100."
    )


class CommentFeedbackSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    title = serializers.CharField()
    comment = serializers.CharField()


class FeedbackSerializer(serializers.Serializer):
    outcome = serializers.CharField(help_text="laureate, finalist, not_designated, or the "
                                              "entry's state (e.g. not_shortlisted).")  # fmt: skip
    rank = serializers.IntegerField(allow_null=True)
    prize = serializers.CharField(allow_blank=True)
    citation = serializers.CharField(allow_blank=True)
    shortlist_reason = serializers.CharField(allow_blank=True)
    chapters = ChapterFeedbackSerializer(many=True)
    comments = CommentFeedbackSerializer(many=True, help_text="The jurors' comments, unsigned.")
    published_at = serializers.DateTimeField()
