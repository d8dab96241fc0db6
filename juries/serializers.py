from rest_framework import serializers

from .models import Declaration, Jury, Score, ScoreSheet


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
        members = jury.members.select_related("juror").order_by("juror__username")
        return [{"juror": m.juror.username, "is_chair": m.is_chair} for m in members]


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
    rank = serializers.IntegerField(allow_null=True)
    tied = serializers.BooleanField()


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
