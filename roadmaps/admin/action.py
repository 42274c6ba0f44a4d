"""The admin of actions: the form that carries the version read, the per-country state and the
progress updates (read-only inlines), saves through `roadmaps.services`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_tools import DESCRIPTIONS, TITLES, ExportMixin, HistoryAdmin
from core.errors import ConflictError
from roadmaps.admin.indicator import IndicatorInline
from roadmaps.admin.lists import ImportButtonMixin, OverdueFilter, codes, overdue_actions, short
from roadmaps.models import Action, CountryProgress, ProgressUpdate
from roadmaps.services import action_progress_set_baseline, action_save

# An action's page shows its latest updates, not all of them (issue 22: no page grows with the data);
# `ActionAdmin.all_updates` links to the full, paged list.
LATEST_UPDATES_SHOWN = 20


class LatestUpdatesFormSet(BaseInlineFormSet):
    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = list(super().get_queryset()[:LATEST_UPDATES_SHOWN])
        return self._latest


class ProgressUpdateInline(admin.TabularInline):
    """An action's latest progress updates, read-only: they are reviewed from their own page."""

    model = ProgressUpdate
    formset = LatestUpdatesFormSet
    verbose_name_plural = gettext_lazy("Latest progress updates")
    fields = ["reporting_date", "country", "status", "percent_complete", "review_state", "author", "reviewer"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-reporting_date", "-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action", "country", "author", "reviewer")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionAdminForm(forms.ModelForm):
    """Carries the version the editor read, so a second editor's save cannot silently overwrite."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = [
            "roadmap",
            "code",
            "title_en",
            "title_es",
            "description_en",
            "description_es",
            "countries",
            "organizations",
            "objectives",
            "depends_on",
            "start_date",
            "due_date",
            "status",
            "percent_complete",
            "indicator",
            "baseline",
            "target",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = Action.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current != expected:
                raise ValidationError(
                    _(
                        "Someone else saved this action since you opened it (or a progress update was "
                        "reviewed). Reload the page to see the current values, then make your change again."
                    ),
                    code="conflict",
                )
        return cleaned


class CountryProgressInline(admin.TabularInline):
    """Each responsible country's own state: read-only, set by its approved reports."""

    model = CountryProgress
    extra = 0
    can_delete = False
    fields = ["country", "status", "percent_complete", "reporting_date", "update"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy(
        "Progress per country (each country's latest approved report; the action's status and percent follow "
        "from these)"
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(ImportButtonMixin, ExportMixin, HistoryAdmin):
    form = ActionAdminForm
    list_display = [
        "code",
        "title_en",
        "roadmap_short",
        "country_codes",
        "objective_numbers",
        "status",
        "percent_complete",
        "due_date",
        "overdue",
    ]
    list_display_links = ["code", "title_en"]
    export_fields = [
        "roadmap",
        "code",
        "title_en",
        "title_es",
        "country_codes",
        "objective_numbers",
        "start_date",
        "due_date",
        "status",
        "percent_complete",
        "overdue",
        "indicator",
        "baseline",
        "target",
        "updated_at",
    ]
    list_filter = [
        OverdueFilter,
        "status",
        "countries",
        "objectives",
        "roadmap__theme",
        "roadmap__forum",
        "roadmap",
    ]
    search_fields = ["code", "title_en", "title_es", "roadmap__slug", "roadmap__title_en", "roadmap__title_es"]
    autocomplete_fields = ["roadmap", "countries", "organizations", "objectives", "depends_on"]
    date_hierarchy = "due_date"
    readonly_fields = ["version", "updated_at", "all_updates"]
    fieldsets = [
        (None, {"fields": ["roadmap", "code", "expected_version"]}),
        (TITLES, {"fields": [("title_en", "title_es")]}),
        (DESCRIPTIONS, {"fields": [("description_en", "description_es")]}),
        (
            gettext_lazy("Who and what for"),
            {"fields": ["countries", "organizations", "objectives", "depends_on"]},
        ),
        (
            gettext_lazy("Progress"),
            {
                "fields": [
                    ("start_date", "due_date"),
                    ("status", "percent_complete"),
                    "indicator",
                    ("baseline", "target"),
                    ("version", "updated_at"),
                    "all_updates",
                ]
            },
        ),
    ]
    inlines = [CountryProgressInline, ProgressUpdateInline, IndicatorInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("roadmap")
            .prefetch_related("countries", "objectives")
            .annotate(overdue_flag=Exists(overdue_actions().filter(pk=OuterRef("pk"))))
        )

    @admin.display(description=gettext_lazy("progress updates"))
    def all_updates(self, obj):
        if obj.pk is None:
            return "–"
        total = obj.progress_updates.count()
        url = reverse("admin:roadmaps_progressupdate_changelist") + f"?action__id__exact={obj.pk}"
        label = _("All %(total)d, in the list of progress updates (the latest %(shown)d are below)") % {
            "total": total,
            "shown": min(total, LATEST_UPDATES_SHOWN),
        }
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=gettext_lazy("countries"))
    def country_codes(self, obj):
        return codes(obj.countries.all())

    @admin.display(description=gettext_lazy("roadmap"), ordering="roadmap__title_en")
    def roadmap_short(self, obj):
        return short(obj.roadmap, 40)

    @admin.display(description=gettext_lazy("GCM objectives"))
    def objective_numbers(self, obj):
        return codes(obj.objectives.all(), "number")

    @admin.display(description=gettext_lazy("overdue"), boolean=True, ordering="overdue_flag")
    def overdue(self, obj):
        return obj.overdue_flag

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictError as error:
            # Saved by someone else between the form's check and the save: nothing was written.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        expected = form.cleaned_data.get("expected_version") if change else None
        action_save(action=obj, user=request.user, expected_version=expected)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change or {"status", "percent_complete", "countries"} & set(form.changed_data):
            # The values entered here are the starting state of the countries that have not reported.
            action_progress_set_baseline(
                action=form.instance,
                status=form.cleaned_data["status"],
                percent_complete=form.cleaned_data["percent_complete"],
            )
