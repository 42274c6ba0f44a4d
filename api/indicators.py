"""Indicators and their values in the partner API.

`/api/v1/indicators/` (filters action, roadmap, country, objective, updated_since; `progress_toward_target`
computed by roadmaps.indicators, the one place) and `/api/v1/indicator-values/` (filters indicator,
country, cycle, objective, updated_since). Values of approved updates only, except a focal point's own
countries' and the secretariat's (`IndicatorValue.objects.visible_to`). CSV as every list.
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.response import Response

from api import keyset
from api.filter_types import BaseFilterSet
from api.filters import objective_of_action_filter, reporting_country_filter, responsible_country_filter
from api.rows import Row, bilingual, codes, col, computed
from api.schema_docs import read_schema
from api.viewsets import ValuesReadOnlyViewSet
from roadmaps.indicators import progress_of
from roadmaps.models import (
    Action,
    CountryCombine,
    CycleCombine,
    Direction,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    ReviewState,
)

ActionCountry = Action.countries.through


def _decimal():
    # Decimals are written as JSON numbers (api.renderers), two decimal places at most.
    return serializers.FloatField(allow_null=True)


class IndicatorProgressSerializer(serializers.Serializer):
    actual = _decimal()
    target = _decimal()
    percent = serializers.IntegerField(allow_null=True, help_text=_("Percent of the way from baseline to target."))


class IndicatorCountryProgressSerializer(IndicatorProgressSerializer):
    country_code = serializers.CharField()


INDICATOR_ROW = Row(
    "IndicatorRow",
    "An indicator of an action, with its progress toward the target.",
    {
        "id": col(serializers.IntegerField()),
        "action_id": col(serializers.IntegerField()),
        "action_code": col(serializers.CharField(), "action__code"),
        "roadmap_slug": col(serializers.CharField(), "action__roadmap__slug"),
        "code": col(serializers.CharField()),
        **bilingual("name", label=_("Name")),
        **bilingual("definition", label=_("Definition")),
        "unit": col(serializers.ChoiceField(choices=IndicatorUnit.choices)),
        "currency": col(serializers.CharField(help_text=_("ISO 4217 code of a currency indicator."))),
        "baseline_value": col(_decimal()),
        "baseline_date": col(serializers.DateField(allow_null=True)),
        "target_value": col(_decimal()),
        "target_date": col(serializers.DateField(allow_null=True)),
        "direction": col(serializers.ChoiceField(choices=Direction.choices)),
        "cycle_combine": col(serializers.ChoiceField(choices=CycleCombine.choices)),
        "country_combine": col(serializers.ChoiceField(choices=CountryCombine.choices)),
        "dimensions": codes(),
        "updated_at": col(serializers.DateTimeField()),
        # Computed in Python for a page of rows (IndicatorViewSet.with_progress).
        "progress_toward_target": computed(
            IndicatorProgressSerializer(
                help_text=_("The approved values combined by the indicator's rules, against baseline and target.")
            )
        ),
        "progress_by_country": computed(IndicatorCountryProgressSerializer(many=True)),
    },
)

INDICATOR_VALUE_ROW = Row(
    "IndicatorValueRow",
    "A value one country reported for one indicator in one cycle.",
    {
        "id": col(serializers.IntegerField()),
        "indicator_id": col(serializers.IntegerField()),
        "indicator_code": col(serializers.CharField(), "indicator__code"),
        "action_id": col(serializers.IntegerField(), "indicator__action_id"),
        "country_code": col(serializers.CharField(), "country__code"),
        "cycle_key": col(serializers.CharField(), "cycle__key"),
        "update_id": col(serializers.IntegerField()),
        "review_state": col(serializers.ChoiceField(choices=ReviewState.choices), "update__review_state"),
        "value": col(_decimal()),
        "disaggregation": col(serializers.DictField(help_text=_("{dimension: {category: value}}"))),
        "note": col(serializers.CharField()),
        "evidence_url": col(serializers.CharField()),
        "updated_at": col(serializers.DateTimeField()),
    },
)


class IndicatorFilter(BaseFilterSet):
    action = filters.NumberFilter(field_name="action_id", label=_("Action id."))
    roadmap = filters.CharFilter(field_name="action__roadmap__slug", label=_("Roadmap slug."))
    country = responsible_country_filter(
        "action_id", _("ISO codes of the action's responsible countries (comma-separated).")
    )
    objective = objective_of_action_filter("action_id", _("GCM objective numbers (comma-separated) of the action."))

    class Meta:
        model = Indicator
        fields = []


class IndicatorValueFilter(BaseFilterSet):
    indicator = filters.NumberFilter(field_name="indicator_id", label=_("Indicator id."))
    country = reporting_country_filter()
    cycle = filters.CharFilter(field_name="cycle__key", label=_("Reporting cycle key."))
    objective = objective_of_action_filter(
        "indicator__action_id", _("GCM objective numbers (comma-separated) of the indicator's action.")
    )

    class Meta:
        model = IndicatorValue
        fields = []


@read_schema("indicators")
class IndicatorViewSet(ValuesReadOnlyViewSet):
    queryset = Indicator.objects.all()
    row = INDICATOR_ROW
    filterset_class = IndicatorFilter
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "code", "updated_at"]
    ordering = ["action_id", "code"]
    csv_filename = "indicators"

    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user)

    def finish_rows(self, rows: list[dict]) -> list[dict]:
        return self.with_progress(rows)

    def with_progress(self, rows: list[dict]) -> list[dict]:
        """Add the progress of the rows' indicators: three queries for any number of rows (the indicators,
        their approved values, the countries' targets), then the one computation of roadmaps.indicators."""
        from countries.models import Country

        indicators = Indicator.objects.filter(pk__in=[row["id"] for row in rows])
        progress = progress_of(indicators)
        codes = dict(
            Country.objects.filter(indicator_values__indicator__in=[r["id"] for r in rows])
            .values_list("id", "code")
            .distinct()
        )
        for row in rows:
            result = progress[row["id"]]
            row["progress_toward_target"] = vars(result.overall).copy()
            row["progress_by_country"] = [
                {"country_code": codes[country_id], **vars(p)}
                for country_id, p in sorted(result.countries.items(), key=lambda item: codes[item[0]])
            ]
        return rows

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            # A spreadsheet row is flat: the overall progress in three columns, not the per-country list.
            rows = self.with_progress(list(self.rows(queryset)))
            for row in rows:
                progress = row.pop("progress_toward_target")
                row.pop("progress_by_country")
                row.update({f"progress_{key}": value for key, value in progress.items()})
            keys = [*self.get_columns(), "progress_actual", "progress_target", "progress_percent"]
            return self.csv_response(rows, keys)
        if keyset.CURSOR_PARAM in request.query_params:
            return keyset.cursor_page(self, request, queryset)
        page = self.paginator.paginate_rows(self.rows(queryset), request, self, count_queryset=queryset)
        return self.get_paginated_response(self.with_progress(list(page)))

    def retrieve(self, request, *args, **kwargs):
        row = self.get_row()
        return Response(self.with_progress([row])[0])


@read_schema("indicator values")
class IndicatorValueViewSet(ValuesReadOnlyViewSet):
    queryset = IndicatorValue.objects.all()
    row = INDICATOR_VALUE_ROW
    filterset_class = IndicatorValueFilter
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "updated_at", "value"]
    ordering = ["indicator_id", "country_id", "cycle_id", "id"]
    csv_filename = "indicator-values"

    def get_queryset(self):
        return IndicatorValue.objects.visible_to(self.request.user)
