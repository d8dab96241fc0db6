from datetime import timedelta

from django.db import migrations, models


def due_a_month_after(apps, schema_editor):
    InformationRequest = apps.get_model("audits", "InformationRequest")
    for request in InformationRequest.objects.filter(due_date__isnull=True):
        request.due_date = (request.asked_at + timedelta(days=30)).date()
        request.save(update_fields=["due_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0001_initial"),
        ("certification", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="informationrequest",
            name="criteria",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="certification.criterion", verbose_name="criteria"
            ),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="due_date",
            field=models.DateField(null=True, verbose_name="due date"),
        ),
        migrations.RunPython(due_a_month_after, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="informationrequest",
            name="due_date",
            field=models.DateField(verbose_name="due date"),
        ),
    ]
