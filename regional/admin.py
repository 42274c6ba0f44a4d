from django.contrib import admin

from regional.models import NotRelatedPair


@admin.register(NotRelatedPair)
class NotRelatedPairAdmin(admin.ModelAdmin):
    """Pairs the secretariat hid from the collaboration finder; delete a row to show the pair again."""

    list_display = ("action_a", "action_b", "marked_by", "created_at")
    list_select_related = ("action_a", "action_b", "marked_by")
    raw_id_fields = ("action_a", "action_b")
    readonly_fields = ("marked_by", "created_at")
    search_fields = ("action_a__code", "action_a__title_en", "action_b__code", "action_b__title_en")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.marked_by = request.user
        obj.action_a_id, obj.action_b_id = NotRelatedPair.ordered(obj.action_a_id, obj.action_b_id)
        super().save_model(request, obj, form, change)
