"""The admin of themes and roadmaps (the roadmap's actions inline), and the spreadsheet import's URLs."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy

from core.admin_tools import DESCRIPTIONS, TITLES, ExportMixin, HistoryAdmin
from roadmaps import imports
from roadmaps.admin import import_page
from roadmaps.admin.lists import ImportButtonMixin, RoadmapOverdueFilter, codes
from roadmaps.models import Action, Roadmap, Theme, overdue_q
from roadmaps.services import action_save


@admin.register(Theme)
class ThemeAdmin(ExportMixin, HistoryAdmin):
    list_display = ["title_en", "title_es", "forum", "roadmap_count"]
    list_filter = ["forum"]
    list_select_related = ["forum"]
    search_fields = ["slug", "title_en", "title_es"]
    autocomplete_fields = ["forum"]
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["slug", "forum"]}),
        (TITLES, {"fields": [("title_en", "title_es")]}),
        (DESCRIPTIONS, {"fields": [("description_en", "description_es")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(roadmap_total=Count("roadmaps", distinct=True))

    @admin.display(description=gettext_lazy("roadmaps"), ordering="roadmap_total")
    def roadmap_count(self, obj):
        return obj.roadmap_total


class ActionInline(admin.TabularInline):
    """A roadmap's actions, edited in place. Open one for its description, objectives and updates."""

    model = Action
    fields = ["code", "title_en", "title_es", "countries", "due_date", "status", "percent_complete"]
    autocomplete_fields = ["countries"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("roadmap").prefetch_related("countries")


@admin.register(Roadmap)
class RoadmapAdmin(ImportButtonMixin, ExportMixin, HistoryAdmin):
    list_display = [
        "title_en",
        "lead_country",
        "objective_numbers",
        "status",
        "visibility",
        "start_date",
        "end_date",
        "action_count",
        "overdue_count",
    ]
    list_filter = [
        "status",
        "visibility",
        RoadmapOverdueFilter,
        "theme",
        "forum",
        "lead_country",
        "countries",
        "objectives",
    ]
    list_select_related = ["lead_country"]
    search_fields = ["slug", "title_en", "title_es", "description_en", "description_es"]
    autocomplete_fields = ["theme", "forum", "lead_country", "countries", "organizations", "objectives", "principles"]
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["slug", "theme", "forum", "lead_country"]}),
        (TITLES, {"fields": [("title_en", "title_es")]}),
        (DESCRIPTIONS, {"fields": [("description_en", "description_es")]}),
        (
            gettext_lazy("Who and what for"),
            {"fields": ["countries", "organizations", "objectives", "principles"]},
        ),
        (gettext_lazy("Status and dates"), {"fields": [("start_date", "end_date"), ("status", "visibility")]}),
    ]
    inlines = [ActionInline]

    def get_queryset(self, request):
        overdue = overdue_q(due_date="actions__due_date", status="actions__status")
        return (
            super()
            .get_queryset(request)
            .annotate(
                action_total=Count("actions", distinct=True),
                overdue_total=Count("actions", filter=overdue, distinct=True),
            )
            .prefetch_related("objectives")
        )

    @admin.display(description=gettext_lazy("GCM objectives"))
    def objective_numbers(self, obj):
        return codes(obj.objectives.all(), "number")

    @admin.display(description=gettext_lazy("actions"), ordering="action_total")
    def action_count(self, obj):
        return obj.action_total

    @admin.display(description=gettext_lazy("overdue"), ordering="overdue_total")
    def overdue_count(self, obj):
        return obj.overdue_total

    def get_urls(self):
        own = [
            path("import/", self.admin_site.admin_view(self.import_view), name="roadmaps_roadmap_import"),
            path(
                "import/template.<str:fmt>",
                self.admin_site.admin_view(self.import_template_view),
                name="roadmaps_roadmap_import_template",
            ),
        ]
        return own + super().get_urls()

    def _check_may_import(self, request):
        action_admin = self.admin_site._registry[Action]
        if not (self.has_add_permission(request) and action_admin.has_add_permission(request)):
            raise PermissionDenied

    def import_template_view(self, request, fmt):
        self._check_may_import(request)
        kind = request.GET.get("kind", imports.ROADMAPS)
        if fmt not in ("xlsx", "csv") or kind not in imports.KINDS:
            raise Http404
        return import_page.template_response(fmt, kind)

    def import_view(self, request):
        self._check_may_import(request)
        return import_page.import_view(self, request)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Action:
            return super().save_formset(request, form, formset, change)
        # Actions saved here go through the same service as anywhere else (version, validation).
        actions = formset.save(commit=False)
        for action in formset.deleted_objects:
            action.delete()
        for action in actions:
            action_save(action=action, user=request.user)
        formset.save_m2m()
