from rest_framework import serializers

from .models import Document


class DocumentSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = Document
        fields = ["id", "criterion", "filename", "size", "sha256", "content_type",
                  "scan_status", "uploaded_by", "uploaded_at"]  # fmt: skip


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    criterion = serializers.CharField()
