"""The secretariat's admin for indicators: inline on the action, a list with the definitions that still
need a number, and the values shown (read-only) on the progress update's review page."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from roadmaps.models import Indicator, IndicatorCountryTarget, IndicatorValue


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0
    show_change_link = True
    fields = [
        ("code", "unit", "currency"),
        ("name_en", "name_es"),
        ("definition_en", "definition_es"),
        ("baseline_value", "baseline_date"),
        ("target_value", "target_date"),
        ("direction", "cycle_combine", "country_combine"),
        "dimensions",
    ]


class IndicatorValueInline(admin.TabularInline):
    """The values reported with an update: they count once the update is approved."""

    model = IndicatorValue
    extra = 0
    can_delete = False
    fields = ["indicator", "cycle", "value", "disaggregation", "note", "evidence_url"]
    readonly_fields = fields
    verbose_name_plural = _("Indicator values reported with this update (they count once it is approved)")

    def has_add_permission(self, request, obj=None):
        return False


class IndicatorCountryTargetInline(admin.TabularInline):
    model = IndicatorCountryTarget
    extra = 0


class HasNumericTarget(admin.SimpleListFilter):
    title = _("numeric target")
    parameter_name = "numeric_target"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No: a definition to complete"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.definition_only()
        if self.value() == "yes":
            return queryset.exclude(pk__in=Indicator.objects.definition_only().values("pk"))
        return queryset


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "action", "unit", "baseline_value", "target_value", "direction"]
    list_filter = [HasNumericTarget, "unit", "direction"]
    search_fields = ["code", "name_en", "name_es", "action__code", "action__title_en"]
    list_select_related = ["action"]
    raw_id_fields = ["action"]
    inlines = [IndicatorCountryTargetInline]
