from django.urls import reverse
from rest_framework import serializers

from .models import (
    Assessment,
    Assignment,
    AuditReport,
    CorrectiveAction,
    Finding,
    InformationRequest,
    IssuedReport,
    Surveillance,
    SurveillanceCheck,
)


class ReportSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="level.code", default=None, allow_null=True)
    issued_by = serializers.CharField(source="issued_by.username")

    class Meta:
        model = AuditReport
        fields = ["recommendation", "level", "score", "summary", "issued_by", "issued_at"]


class IssuedReportSerializer(serializers.ModelSerializer):
    pdf = serializers.SerializerMethodField(help_text="The report as issued, in PDF (a redirect).")

    class Meta:
        model = IssuedReport
        fields = ["version", "issued_at", "pdf", "pdf_sha256"]

    def get_pdf(self, issued) -> str:
        return reverse("api-report-pdf", args=[issued.pk])


class CorrectiveActionSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.username")
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", default=None, allow_null=True
    )

    class Meta:
        model = CorrectiveAction
        fields = ["id", "plan", "submitted_by", "submitted_at", "review", "review_reason",
                  "reviewed_by", "reviewed_at"]  # fmt: skip


class CorrectiveActionReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")


class FindingSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code")
    corrective_actions = CorrectiveActionSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "criterion", "severity", "status", "description", "raised_at",
                  "corrective_actions"]  # fmt: skip


class InformationRequestSerializer(serializers.ModelSerializer):
    asked_by = serializers.CharField(source="asked_by.username")
    answered_by = serializers.CharField(
        source="answered_by.username", default=None, allow_null=True
    )

    criteria = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = InformationRequest
        fields = ["question", "criteria", "due_date", "is_overdue", "asked_by", "asked_at",
                  "answer", "answered_by", "answered_at"]  # fmt: skip


class AssignmentInputSerializer(serializers.Serializer):
    auditor = serializers.CharField()
    role = serializers.ChoiceField(choices=Assignment.Role.choices)


class AssignmentSerializer(serializers.ModelSerializer):
    auditor = serializers.CharField(source="auditor.username", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "dossier", "auditor", "role", "has_conflict", "declared_at",
                  "assigned_at", "ended_at"]  # fmt: skip


class DeclareInputSerializer(serializers.Serializer):
    has_conflict = serializers.BooleanField()
    details = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentInputSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    rating = serializers.ChoiceField(choices=Assessment.Rating.choices)
    points = serializers.IntegerField(min_value=0)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code", read_only=True)
    assessor = serializers.CharField(source="assessor.username", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "criterion", "rating", "points", "comment", "assessor", "updated_at"]


class SurveillanceCheckSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code")

    class Meta:
        model = SurveillanceCheck
        fields = ["criterion", "result", "comment", "checked_at"]


class SurveillanceItemSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="criterion.code")
    finding = serializers.IntegerField(
        source="finding.pk", default=None, allow_null=True,
        help_text="The open minor finding it follows, if any.",
    )  # fmt: skip
    check = SurveillanceCheckSerializer(allow_null=True)


class SurveillanceSerializer(serializers.ModelSerializer):
    auditor = serializers.CharField(source="auditor.username", default=None, allow_null=True)

    class Meta:
        model = Surveillance
        fields = ["id", "due_date", "state", "auditor", "outcome", "conclusion", "opened_at",
                  "concluded_at"]  # fmt: skip


class SurveillanceDetailSerializer(SurveillanceSerializer):
    items = SurveillanceItemSerializer(many=True, read_only=True)

    class Meta(SurveillanceSerializer.Meta):
        fields = [*SurveillanceSerializer.Meta.fields, "items"]


class SurveillanceAssignInputSerializer(serializers.Serializer):
    auditor = serializers.CharField()


class SurveillanceCheckInputSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    result = serializers.ChoiceField(choices=SurveillanceCheck.Result.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")


class SurveillanceConcludeInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Surveillance.Outcome.choices)
    conclusion = serializers.CharField(required=False, allow_blank=True, max_length=10000,
                                       default="")  # fmt: skip
