from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from countries.models import Country, FocalPoint


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name_en",
        "name_es",
        "subregion",
        "rcm_status",
        "is_gcm_champion",
        "gcm_vote",
        "is_verified",
    ]
    search_fields = ["code", "alpha3", "name_en", "name_es"]


@admin.register(FocalPoint)
class FocalPointAdmin(SimpleHistoryAdmin):
    list_display = ["user", "country", "is_active"]
