from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for the collaboration finder's similarity; unaccent so 'migracion' finds 'migración'."""

    dependencies = [("roadmaps", "0001_initial")]

    operations = [TrigramExtension(), UnaccentExtension()]
