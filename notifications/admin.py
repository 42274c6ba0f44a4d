"""What was sent to whom: read-only for everyone (the record must not be edited)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.models import SentMessage


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "sent_at", "recipient", "email", "kind", "language", "status", "attempts", "subject"]
    list_filter = ["kind", "status", "language", "digest_date", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__first_name", "recipient__last_name", "email", "subject"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    readonly_fields = [
        "recipient",
        "email",
        "kind",
        "subject",
        "language",
        "status",
        "error",
        "attempts",
        "created_at",
        "sent_at",
        "digest_date",
        "dedupe_key",
        "progress_update",
        "listed_updates",
        "listed_actions",
        "body_text",
    ]
    fields = readonly_fields

    @admin.display(description=_("updates listed"))
    def listed_updates(self, obj):
        return ", ".join(str(update) for update in obj.progress_updates.select_related("action", "country")) or "—"

    @admin.display(description=_("actions listed"))
    def listed_actions(self, obj):
        return ", ".join(f"{action.code}" for action in obj.actions.all()) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
