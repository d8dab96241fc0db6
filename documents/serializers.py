from rest_framework import serializers

from .models import Document


class SameBytesSerializer(serializers.ModelSerializer):
    """The dossier's earlier file with the same bytes."""

    criterion = serializers.CharField(source="criterion.code", read_only=True)

    class Meta:
        model = Document
        fields = ["id", "criterion", "version", "filename", "uploaded_at"]


class DocumentSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    duplicate_of = SameBytesSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = ["id", "criterion", "version", "is_current", "filename", "size", "sha256",
                  "content_type", "scan_status", "scanned_at", "duplicate_of",
                  "uploaded_by", "uploaded_at"]  # fmt: skip


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    criterion = serializers.CharField()
