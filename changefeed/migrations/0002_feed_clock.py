"""The day the feed has reported date-derived answers for (api.changes.report_date_changes)."""

from django.db import migrations, models
from django.utils import timezone


def start_today(apps, schema_editor):
    apps.get_model("changefeed", "FeedClock").objects.create(day=timezone.localdate())


class Migration(migrations.Migration):
    dependencies = [
        ("changefeed", "0001_change_log"),
    ]

    operations = [
        migrations.CreateModel(
            name="FeedClock",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="day")),
            ],
            options={
                "verbose_name": "feed clock",
                "verbose_name_plural": "feed clocks",
            },
        ),
        migrations.RunPython(start_today, migrations.RunPython.noop),
    ]
