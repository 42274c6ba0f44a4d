"""The data-change counter, moved from roadmaps with its table (state only here: roadmaps/0012 renames
the table and rewrites the trigger function that writes it)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataGeneration",
                    fields=[
                        ("backend_pid", models.IntegerField(primary_key=True, serialize=False)),
                        ("counter", models.BigIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "data generation",
                        "verbose_name_plural": "data generations",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
