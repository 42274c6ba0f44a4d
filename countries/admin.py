from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_tools import NAMES, REFERENCE_FIELDSET, ExportMixin, HistoryAdmin
from countries.models import Country, FocalPoint


class FocalPointInline(admin.TabularInline):
    """Focal points of a country. Never deleted: untick "active" to end an assignment (history stays)."""

    model = FocalPoint
    fields = ["user", "role_title", "is_active"]
    autocomplete_fields = ["user"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "country")


class CountryFocalPointInline(FocalPointInline):
    """The same, on the user's page: the countries this user reports for."""

    fields = ["country", "role_title", "is_active"]
    autocomplete_fields = ["country"]
    fk_name = "user"


@admin.register(Country)
class CountryAdmin(ExportMixin, HistoryAdmin):
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
    list_filter = ["subregion", "rcm_status", "is_gcm_champion", "gcm_vote", "is_verified"]
    search_fields = ["code", "alpha3", "name_en", "name_es"]
    fieldsets = [
        (None, {"fields": [("code", "alpha3")]}),
        (NAMES, {"fields": [("name_en", "name_es")]}),
        (
            _("RCM and GCM"),
            {"fields": ["subregion", "rcm_status", ("is_gcm_champion", "champion_since"), "gcm_vote"]},
        ),
        REFERENCE_FIELDSET,
    ]
    inlines = [FocalPointInline]


@admin.register(FocalPoint)
class FocalPointAdmin(ExportMixin, HistoryAdmin):
    list_display = ["user", "user_email", "country", "role_title", "is_active", "updated_at"]
    list_filter = ["is_active", "country"]
    list_select_related = ["user", "country"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name", "country__name_en"]
    autocomplete_fields = ["user", "country"]
    fields = ["user", "country", "role_title", "is_active"]
    actions = ["deactivate_selected", "activate_selected"]

    @admin.display(description=_("email"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    def get_readonly_fields(self, request, obj=None):
        # An assignment keeps its user and country; a new one is a new row.
        return ["user", "country"] if obj else []

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: the assignment's history (who reported when) must stay.
        return False

    @admin.action(description=_("Deactivate selected focal points"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        count = self._set_active(queryset, False)
        self.message_user(
            request,
            ngettext("%(count)d focal point deactivated.", "%(count)d focal points deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Activate selected focal points"), permissions=["change"])
    def activate_selected(self, request, queryset):
        count = self._set_active(queryset, True)
        self.message_user(
            request,
            ngettext("%(count)d focal point activated.", "%(count)d focal points activated.", count) % {"count": count},
            messages.SUCCESS,
        )

    @staticmethod
    def _set_active(queryset, active: bool) -> int:
        count = 0
        # One save per row (not queryset.update) so that each change gets its history entry.
        for focal_point in queryset.exclude(is_active=active):
            focal_point.is_active = active
            focal_point.save(update_fields=["is_active", "updated_at"])
            count += 1
        return count
