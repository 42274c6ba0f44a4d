"""What the roadmap and action lists share: the deadline filters, short columns, the import button."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from roadmaps.models import Action


def overdue_actions():
    return Action.objects.overdue()


class OverdueFilter(admin.SimpleListFilter):
    """Actions whose due date passed and that are neither completed nor cancelled."""

    title = gettext_lazy("deadline")
    parameter_name = "overdue"
    options = [
        ("yes", gettext_lazy("Overdue")),
        ("soon", gettext_lazy("Due soon")),
        ("no", gettext_lazy("Not overdue")),
    ]
    # The column of the matching actions that the listed rows' primary keys are compared with.
    action_column = "pk"

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        value = self.value()
        if value not in ("yes", "soon", "no"):
            return queryset
        matching = (Action.objects.due_soon() if value == "soon" else overdue_actions()).values(self.action_column)
        if value == "no":
            return queryset.exclude(pk__in=matching)
        return queryset.filter(pk__in=matching)


class RoadmapOverdueFilter(OverdueFilter):
    """Roadmaps with at least one overdue (or due-soon) action."""

    title = gettext_lazy("overdue actions")
    options = [
        ("yes", gettext_lazy("Has overdue actions")),
        ("soon", gettext_lazy("Has actions due soon")),
        ("no", gettext_lazy("No overdue actions")),
    ]
    action_column = "roadmap_id"


def codes(objects, attribute="code") -> str:
    return ", ".join(str(getattr(obj, attribute)) for obj in objects)


def short(text, limit=48) -> str:
    """A long title cut for a list column (the whole text in the tooltip), so lists fit 1280 px."""
    text = str(text)
    if len(text) <= limit:
        return text
    return format_html('<span title="{}">{}…</span>', text, text[: limit - 1].rstrip())


class ImportButtonMixin:
    """The "Import from spreadsheet" button on the roadmap and action lists."""

    change_list_template = "admin/roadmaps/import_change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_url": reverse("admin:roadmaps_roadmap_import")}
        return super().changelist_view(request, extra_context)
