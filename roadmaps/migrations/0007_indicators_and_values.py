"""Indicators of an action, the values countries report per cycle, and the frozen indicator rows of a
closed cycle (the database refuses to change them); the data-change count on the new tables."""

import django.contrib.postgres.fields
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

NEW_TABLES = (
    "roadmaps_indicator",
    "roadmaps_indicatorcountrytarget",
    "roadmaps_indicatorvalue",
    "roadmaps_indicatorsnapshotrow",
)
COUNT_CHANGES = "".join(
    f"CREATE TRIGGER roadmaps_data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} "
    "FOR EACH STATEMENT EXECUTE FUNCTION roadmaps_count_data_change();\n"
    for t in NEW_TABLES
)
DROP_COUNT_CHANGES = "".join(f"DROP TRIGGER IF EXISTS roadmaps_data_change ON {t};\n" for t in NEW_TABLES)

# The same function as the snapshot rows' (migration 0006): a refused UPDATE or DELETE.
FROZEN = """
CREATE TRIGGER roadmaps_indicator_snapshot_row_frozen BEFORE UPDATE OR DELETE ON roadmaps_indicatorsnapshotrow
    FOR EACH ROW EXECUTE FUNCTION roadmaps_snapshot_row_frozen();
"""
DROP_FROZEN = "DROP TRIGGER IF EXISTS roadmaps_indicator_snapshot_row_frozen ON roadmaps_indicatorsnapshotrow;"


class Migration(migrations.Migration):

    dependencies = [
        ('countries', '0001_initial'),
        ('roadmaps', '0006_country_progress_rows_and_frozen_snapshots'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalIndicator',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, verbose_name='updated at')),
                ('code', models.CharField(help_text='Short code, unique within its action, e.g. I1.', max_length=20, verbose_name='code')),
                ('name_en', models.CharField(max_length=300, verbose_name='name (English)')),
                ('name_es', models.CharField(blank=True, max_length=300, verbose_name='name (Spanish)')),
                ('definition_en', models.TextField(blank=True, verbose_name='definition (English)')),
                ('definition_es', models.TextField(blank=True, verbose_name='definition (Spanish)')),
                ('unit', models.CharField(choices=[('people', 'People'), ('percent', 'Percent'), ('number', 'Number'), ('currency', 'Currency'), ('yes_no', 'Yes / no')], default='number', max_length=10, verbose_name='unit')),
                ('currency', models.CharField(blank=True, help_text='ISO 4217 code (e.g. USD) when the unit is a currency.', max_length=3, verbose_name='currency')),
                ('baseline_value', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='baseline value')),
                ('baseline_date', models.DateField(blank=True, null=True, verbose_name='baseline date')),
                ('target_value', models.DecimalField(blank=True, decimal_places=2, help_text='Empty: a definition with no number yet, listed for the secretariat to complete.', max_digits=16, null=True, verbose_name='target value')),
                ('target_date', models.DateField(blank=True, null=True, verbose_name='target date')),
                ('direction', models.CharField(choices=[('increase', 'Increase'), ('decrease', 'Decrease'), ('maintain', 'Maintain')], default='increase', max_length=8, verbose_name='direction')),
                ('cycle_combine', models.CharField(choices=[('sum', 'Sum of the cycles'), ('latest', 'Latest cycle'), ('maximum', 'Maximum of the cycles')], default='sum', max_length=8, verbose_name='across cycles')),
                ('country_combine', models.CharField(choices=[('sum', 'Sum of the countries'), ('mean', 'Mean of the countries')], default='sum', max_length=8, verbose_name='across countries')),
                ('dimensions', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('sex', 'Sex'), ('age', 'Age group'), ('migrant_status', 'Migrant status')], max_length=20), blank=True, default=list, size=None, verbose_name='disaggregated by')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('action', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='roadmaps.action', verbose_name='action')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical indicator',
                'verbose_name_plural': 'historical indicators',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                ('code', models.CharField(help_text='Short code, unique within its action, e.g. I1.', max_length=20, verbose_name='code')),
                ('name_en', models.CharField(max_length=300, verbose_name='name (English)')),
                ('name_es', models.CharField(blank=True, max_length=300, verbose_name='name (Spanish)')),
                ('definition_en', models.TextField(blank=True, verbose_name='definition (English)')),
                ('definition_es', models.TextField(blank=True, verbose_name='definition (Spanish)')),
                ('unit', models.CharField(choices=[('people', 'People'), ('percent', 'Percent'), ('number', 'Number'), ('currency', 'Currency'), ('yes_no', 'Yes / no')], default='number', max_length=10, verbose_name='unit')),
                ('currency', models.CharField(blank=True, help_text='ISO 4217 code (e.g. USD) when the unit is a currency.', max_length=3, verbose_name='currency')),
                ('baseline_value', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='baseline value')),
                ('baseline_date', models.DateField(blank=True, null=True, verbose_name='baseline date')),
                ('target_value', models.DecimalField(blank=True, decimal_places=2, help_text='Empty: a definition with no number yet, listed for the secretariat to complete.', max_digits=16, null=True, verbose_name='target value')),
                ('target_date', models.DateField(blank=True, null=True, verbose_name='target date')),
                ('direction', models.CharField(choices=[('increase', 'Increase'), ('decrease', 'Decrease'), ('maintain', 'Maintain')], default='increase', max_length=8, verbose_name='direction')),
                ('cycle_combine', models.CharField(choices=[('sum', 'Sum of the cycles'), ('latest', 'Latest cycle'), ('maximum', 'Maximum of the cycles')], default='sum', max_length=8, verbose_name='across cycles')),
                ('country_combine', models.CharField(choices=[('sum', 'Sum of the countries'), ('mean', 'Mean of the countries')], default='sum', max_length=8, verbose_name='across countries')),
                ('dimensions', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('sex', 'Sex'), ('age', 'Age group'), ('migrant_status', 'Migrant status')], max_length=20), blank=True, default=list, size=None, verbose_name='disaggregated by')),
                ('action', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='roadmaps.action', verbose_name='action')),
            ],
            options={
                'verbose_name': 'indicator',
                'verbose_name_plural': 'indicators',
                'ordering': ['action_id', 'code'],
            },
        ),
        migrations.CreateModel(
            name='IndicatorCountryTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('target_value', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='target value')),
                ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='countries.country', verbose_name='country')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='country_targets', to='roadmaps.indicator', verbose_name='indicator')),
            ],
            options={
                'verbose_name': 'target of a country',
                'verbose_name_plural': 'targets per country',
                'ordering': ['indicator_id', 'country__code'],
            },
        ),
        migrations.CreateModel(
            name='IndicatorSnapshotRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('frozen_at', models.DateTimeField(db_index=True, verbose_name='frozen at')),
                ('indicator_id', models.BigIntegerField(db_index=True, verbose_name='indicator id')),
                ('indicator_code', models.CharField(max_length=20, verbose_name='code')),
                ('indicator_name_en', models.CharField(max_length=300, verbose_name='name (English)')),
                ('indicator_name_es', models.CharField(max_length=300, verbose_name='name (Spanish)')),
                ('action_id', models.BigIntegerField(verbose_name='action id')),
                ('roadmap_id', models.BigIntegerField(verbose_name='roadmap id')),
                ('country_code', models.CharField(blank=True, max_length=2, verbose_name='country')),
                ('cycle_value', models.DecimalField(decimal_places=2, max_digits=16, null=True, verbose_name='value in the cycle')),
                ('cumulative_value', models.DecimalField(decimal_places=2, max_digits=16, null=True, verbose_name='cumulative value')),
                ('target_value', models.DecimalField(decimal_places=2, max_digits=16, null=True, verbose_name='target value')),
                ('percent_of_target', models.IntegerField(null=True, verbose_name='percent of the way to the target')),
                ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicator_snapshot_rows', to='roadmaps.reportingcycle')),
            ],
            options={
                'verbose_name': 'indicator snapshot row',
                'verbose_name_plural': 'indicator snapshot rows',
                'ordering': ['cycle_id', 'indicator_id', 'country_code'],
            },
        ),
        migrations.CreateModel(
            name='IndicatorValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                ('value', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='value')),
                ('disaggregation', models.JSONField(blank=True, default=dict, help_text='{dimension: {category: value}}', verbose_name='disaggregated values')),
                ('note', models.TextField(blank=True, max_length=2000, verbose_name='note')),
                ('evidence_url', models.URLField(blank=True, max_length=500, verbose_name='evidence link')),
                ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicator_values', to='countries.country', verbose_name='country')),
                ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicator_values', to='roadmaps.reportingcycle', verbose_name='reporting cycle')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='values', to='roadmaps.indicator', verbose_name='indicator')),
                ('update', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicator_values', to='roadmaps.progressupdate', verbose_name='progress update')),
            ],
            options={
                'verbose_name': 'indicator value',
                'verbose_name_plural': 'indicator values',
                'ordering': ['indicator_id', 'country_id', 'cycle_id', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.UniqueConstraint(fields=('action', 'code'), name='indicator_code_unique_in_action', violation_error_message='This action already has an indicator with this code.'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('currency__regex', '^[A-Z]{3}$'), ('unit', 'currency')), models.Q(models.Q(('unit', 'currency'), _negated=True), ('currency', '')), _connector='OR'), name='indicator_currency_iff_unit', violation_error_message='A currency indicator needs its ISO code (e.g. USD); other units none.'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('baseline_value__isnull', True), ('baseline_value__gte', 0), _connector='OR'), models.Q(('target_value__isnull', True), ('target_value__gte', 0), _connector='OR')), name='indicator_values_not_negative', violation_error_message='Baseline and target cannot be negative.'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('unit', 'percent'), _negated=True), models.Q(models.Q(('baseline_value__isnull', True), ('baseline_value__lte', 100), _connector='OR'), models.Q(('target_value__isnull', True), ('target_value__lte', 100), _connector='OR')), _connector='OR'), name='indicator_percent_at_most_100', violation_error_message='A percent cannot be over 100.'),
        ),
        migrations.AddConstraint(
            model_name='indicator',
            constraint=models.CheckConstraint(condition=models.Q(('target_date__isnull', True), ('baseline_date__isnull', True), ('target_date__gte', models.F('baseline_date')), _connector='OR'), name='indicator_target_not_before_baseline', violation_error_message='The target date cannot be before the baseline date.'),
        ),
        migrations.AddConstraint(
            model_name='indicatorcountrytarget',
            constraint=models.UniqueConstraint(fields=('indicator', 'country'), name='indicator_country_target_unique', violation_error_message='This country already has a target for this indicator.'),
        ),
        migrations.AddConstraint(
            model_name='indicatorcountrytarget',
            constraint=models.CheckConstraint(condition=models.Q(('target_value__gte', 0)), name='indicator_country_target_not_negative', violation_error_message='A target cannot be negative.'),
        ),
        migrations.AddConstraint(
            model_name='indicatorsnapshotrow',
            constraint=models.UniqueConstraint(fields=('cycle', 'frozen_at', 'indicator_id', 'country_code'), name='indicator_snapshot_row_unique'),
        ),
        migrations.AddIndex(
            model_name='indicatorvalue',
            index=models.Index(fields=['indicator', 'country', 'cycle'], name='indicator_value_icc_idx'),
        ),
        migrations.AddConstraint(
            model_name='indicatorvalue',
            constraint=models.UniqueConstraint(fields=('update', 'indicator'), name='indicator_value_once_per_update', violation_error_message='This update already has a value for this indicator.'),
        ),
        migrations.AddConstraint(
            model_name='indicatorvalue',
            constraint=models.CheckConstraint(condition=models.Q(('value__gte', 0)), name='indicator_value_not_negative', violation_error_message='A value cannot be negative.'),
        ),
        migrations.RunSQL(COUNT_CHANGES, DROP_COUNT_CHANGES),
        migrations.RunSQL(FROZEN, DROP_FROZEN),
    ]
