from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gcm.models import Forum, GuidingPrinciple, Objective, Organization


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title_en", "title_es", "is_verified"]
    search_fields = ["title_en", "title_es"]


@admin.register(GuidingPrinciple)
class GuidingPrincipleAdmin(SimpleHistoryAdmin):
    list_display = ["letter", "code", "name_en", "name_es", "is_verified"]
    search_fields = ["name_en", "name_es"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["acronym_en", "acronym_es", "name_en", "kind", "is_verified"]
    search_fields = ["acronym_en", "acronym_es", "name_en", "name_es"]


@admin.register(Forum)
class ForumAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "kind", "host_country", "start_date", "end_date"]
    search_fields = ["name_en", "name_es"]
