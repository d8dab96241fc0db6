from django.db import migrations, models
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber


def number_the_versions(apps, schema_editor):
    """Existing files become versions in upload order; the newest is the current one."""
    Document = apps.get_model("documents", "Document")
    numbered = Document.objects.annotate(
        number=Window(RowNumber(), partition_by=[F("dossier_id"), F("criterion_id")],
                      order_by=[F("uploaded_at").asc(), F("id").asc()]),
        total=Window(Count("id"), partition_by=[F("dossier_id"), F("criterion_id")]),
    ).values_list("id", "number", "total")
    for pk, number, total in numbered:
        Document.objects.filter(pk=pk).update(version=number, is_current=number == total)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_scanning")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="document",
            name="duplicate_of",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=models.deletion.SET_NULL, related_name="+",
                to="documents.document", verbose_name="same bytes as",
            ),
        ),
        migrations.RunPython(number_the_versions, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="document", name="documents_d_dossier_c67338_idx"),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["dossier", "sha256"], name="document_dossier_sha256"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                fields=("dossier", "criterion", "version"), name="document_version_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                condition=models.Q(is_current=True), fields=("dossier", "criterion"),
                name="one_current_document",
            ),
        ),
    ]
