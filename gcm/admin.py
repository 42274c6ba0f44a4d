from django.contrib import admin

from core.admin_tools import (
    ACRONYMS,
    DESCRIPTIONS,
    DETAILS,
    NAMES,
    REFERENCE_FIELDSET,
    TITLES,
    WHERE_WHEN,
    ExportMixin,
    HistoryAdmin,
)
from gcm.models import Forum, GuidingPrinciple, Objective, Organization


@admin.register(Objective)
class ObjectiveAdmin(ExportMixin, HistoryAdmin):
    list_display = ["number", "title_en", "title_es", "is_verified"]
    list_display_links = ["number", "title_en"]
    list_filter = ["is_verified"]
    search_fields = ["=number", "title_en", "title_es", "short_title_en", "short_title_es"]
    fieldsets = [
        (None, {"fields": ["number"]}),
        (TITLES, {"fields": [("title_en", "title_es"), ("short_title_en", "short_title_es")]}),
        (DESCRIPTIONS, {"fields": [("description_en", "description_es")]}),
        REFERENCE_FIELDSET,
    ]


@admin.register(GuidingPrinciple)
class GuidingPrincipleAdmin(ExportMixin, HistoryAdmin):
    list_display = ["letter", "code", "name_en", "name_es", "is_verified"]
    list_display_links = ["letter", "code"]
    list_filter = ["is_verified"]
    search_fields = ["=letter", "code", "name_en", "name_es"]
    fieldsets = [
        (None, {"fields": [("letter", "code")]}),
        (NAMES, {"fields": [("name_en", "name_es")]}),
        (DESCRIPTIONS, {"fields": [("description_en", "description_es")]}),
        REFERENCE_FIELDSET,
    ]


@admin.register(Organization)
class OrganizationAdmin(ExportMixin, HistoryAdmin):
    list_display = ["acronym_en", "acronym_es", "name_en", "kind", "is_un_network_member", "is_verified"]
    list_filter = ["kind", "is_un_network_member", "is_verified"]
    search_fields = ["key", "acronym_en", "acronym_es", "name_en", "name_es"]
    fieldsets = [
        (None, {"fields": ["key"]}),
        (ACRONYMS, {"fields": [("acronym_en", "acronym_es")]}),
        (NAMES, {"fields": [("name_en", "name_es")]}),
        (DETAILS, {"fields": ["kind", "website", "is_un_network_member"]}),
        REFERENCE_FIELDSET,
    ]


@admin.register(Forum)
class ForumAdmin(ExportMixin, HistoryAdmin):
    list_display = ["name_en", "kind", "host_country", "city", "start_date", "end_date"]
    list_filter = ["kind", "host_country"]
    list_select_related = ["host_country"]
    search_fields = ["key", "name_en", "name_es", "city"]
    autocomplete_fields = ["host_country"]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["key", "kind"]}),
        (NAMES, {"fields": [("name_en", "name_es")]}),
        (WHERE_WHEN, {"fields": ["host_country", "city", ("start_date", "end_date")]}),
        REFERENCE_FIELDSET,
    ]
