from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from roadmaps.models import Action, ProgressUpdate, Roadmap, Theme


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["title_en", "title_es", "forum"]
    search_fields = ["title_en", "title_es"]


@admin.register(Roadmap)
class RoadmapAdmin(SimpleHistoryAdmin):
    list_display = ["title_en", "lead_country", "status", "visibility", "start_date", "end_date"]
    search_fields = ["title_en", "title_es", "slug"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title_en", "roadmap", "status", "percent_complete", "due_date"]
    search_fields = ["code", "title_en", "title_es"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "country", "reporting_date", "status", "percent_complete", "review_state"]
