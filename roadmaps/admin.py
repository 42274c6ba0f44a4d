"""The secretariat's admin for the work itself: themes, roadmaps, actions and the review of progress.

Review decisions go through `roadmaps.services` (the same functions the web forms and the API call);
spreadsheet import lives in `roadmaps.imports`, export in `core.admin_tools.ExportMixin`.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import update_change_reason

from core.admin_tools import DESCRIPTIONS, TITLES, ExportMixin, HistoryAdmin
from core.errors import ConflictError, InvalidStateError
from roadmaps import admin_review, import_admin, imports
from roadmaps.indicator_admin import IndicatorInline, IndicatorValueInline
from roadmaps.models import Action, CountryProgress, ProgressUpdate, ReviewState, Roadmap, Theme, overdue_q
from roadmaps.review_bulk import progress_updates_approve
from roadmaps.services import (
    action_progress_set_baseline,
    action_save,
    approval_preview,
    progress_update_approve,
    progress_update_return,
)


def overdue_actions():
    return Action.objects.overdue()


class OverdueFilter(admin.SimpleListFilter):
    """Actions whose due date passed and that are neither completed nor cancelled."""

    title = gettext_lazy("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", gettext_lazy("Overdue")),
            ("soon", gettext_lazy("Due soon")),
            ("no", gettext_lazy("Not overdue")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue_actions().values("pk"))
        if self.value() == "soon":
            return queryset.filter(pk__in=Action.objects.due_soon().values("pk"))
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue_actions().values("pk"))
        return queryset


class RoadmapOverdueFilter(OverdueFilter):
    """Roadmaps with at least one overdue (or due-soon) action."""

    title = gettext_lazy("overdue actions")

    def lookups(self, request, model_admin):
        return [
            ("yes", gettext_lazy("Has overdue actions")),
            ("soon", gettext_lazy("Has actions due soon")),
            ("no", gettext_lazy("No overdue actions")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue_actions().values("roadmap_id"))
        if self.value() == "soon":
            return queryset.filter(pk__in=Action.objects.due_soon().values("roadmap_id"))
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue_actions().values("roadmap_id"))
        return queryset


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
        return import_admin.template_response(fmt, kind)

    def import_view(self, request):
        self._check_may_import(request)
        return import_admin.import_view(self, request)

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


class ProgressUpdateInline(admin.TabularInline):
    """An action's progress updates, read-only: they are reviewed from their own page."""

    model = ProgressUpdate
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
    readonly_fields = ["version", "updated_at"]
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


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("decision"),
        choices=[("approve", gettext_lazy("Approve")), ("return", gettext_lazy("Return to the focal point"))],
    )
    comment = forms.CharField(
        label=gettext_lazy("comment for the focal point"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("Required when you return an update; the focal point reads it."),
    )


class ReturnCommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("why these updates are returned"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=gettext_lazy("Every selected update's focal point reads this comment."),
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise ValidationError(_("Say why the updates are returned: the focal points will read it."))
        return comment


def note_decision(update: ProgressUpdate) -> None:
    """Name the decision in the update's history entry (who and when are recorded by the middleware)."""
    if update.review_state == ReviewState.APPROVED:
        reason = _("Review: approved")
    else:
        reason = _("Review: returned – %(comment)s") % {"comment": update.review_comment}
    update_change_reason(update, reason[:100])


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ExportMixin, HistoryAdmin):
    """Review of focal points' reports. Approved updates are locked: a correction is a new update."""

    change_form_template = "admin/roadmaps/progressupdate/change_form.html"
    change_list_template = "admin/roadmaps/progressupdate/change_list.html"
    inlines = [IndicatorValueInline]
    # Columns that fit 1280 px beside the filters (issue 20); the export has every field.
    list_display = [
        "action_short",
        "country",
        "reporting_date",
        "status",
        "percent",
        "review_state",
        "author",
        "on_behalf_mark",
        "reviewer",
        "reviewed_on",
    ]
    list_filter = [
        "review_state",
        "on_behalf",
        "status",
        "country",
        "action__roadmap__theme",
        "action__roadmap",
        "action__objectives",
    ]
    list_select_related = ["action", "country", "author", "reviewer"]
    export_fields = [
        "action",
        "country",
        "reporting_date",
        "status",
        "percent_complete",
        "narrative",
        "challenges",
        "next_steps",
        "evidence_url",
        "author",
        "on_behalf",
        "review_state",
        "reviewer",
        "reviewed_at",
        "review_comment",
    ]
    search_fields = ["action__code", "action__title_en", "action__title_es", "narrative", "author__username"]
    date_hierarchy = "reporting_date"
    actions = ["approve_selected", "return_selected"]
    readonly_fields = [
        "action",
        "country",
        "author",
        "evidence",
        "review_state",
        "reviewer",
        "reviewed_at",
        "review_comment",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["action", "country", "reporting_date", "author", "on_behalf"]}),
        (
            gettext_lazy("Report"),
            {
                "fields": [
                    ("status", "percent_complete"),
                    "narrative",
                    "challenges",
                    "next_steps",
                    "evidence_url",
                    "evidence",
                ]
            },
        ),
        (
            gettext_lazy("Review"),
            {"fields": ["review_state", "reviewer", "reviewed_at", "review_comment", ("created_at", "updated_at")]},
        ),
    ]
    # The history page shows each decision with its reviewer and comment.
    history_list_display = ["review_state", "reviewer", "review_comment"]

    @admin.display(description=gettext_lazy("action"), ordering="action__code")
    def action_short(self, obj):
        return short(obj.action, 48)

    @admin.display(description="%", ordering="percent_complete")
    def percent(self, obj):
        return obj.percent_complete

    @admin.display(description=gettext_lazy("on behalf"), boolean=True, ordering="on_behalf")
    def on_behalf_mark(self, obj):
        return obj.on_behalf

    @admin.display(description=gettext_lazy("reviewed on"), ordering="reviewed_at")
    def reviewed_on(self, obj):
        return timezone.localdate(obj.reviewed_at) if obj.reviewed_at else None

    @admin.display(description=gettext_lazy("evidence file"))
    def evidence(self, obj):
        if not obj.evidence_file:
            return "—"
        name = obj.evidence_file.name.rsplit("/", 1)[-1]
        try:
            # Served by the focal points' workspace, which checks who may read it (private storage).
            url = reverse("workspace:evidence", args=[obj.pk])
        except NoReverseMatch:
            return name
        return format_html('<a href="{}">{}</a>', url, name)

    # Updates come from focal points (web form or API); the admin reviews them.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A report is the country's words: the reviewer approves or returns it, never edits it (a
        # correction is a return with a comment, or an update entered on the country's behalf).
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk delete would not look at each update's state; delete one at a time (never approved ones).
        actions.pop("delete_selected", None)
        return actions

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="roadmaps_progressupdate_review",
            ),
            path(
                "queue/",
                self.admin_site.admin_view(lambda request: admin_review.queue_view(self, request)),
                name="roadmaps_progressupdate_queue",
            ),
            path(
                "on-behalf/",
                self.admin_site.admin_view(lambda request: admin_review.on_behalf_view(self, request)),
                name="roadmaps_progressupdate_on_behalf",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        pending = ProgressUpdate.objects.pending().count()
        extra_context = {**(extra_context or {}), "pending_count": pending}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        update = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if update is not None and request.method == "GET":
            if update.is_locked:
                self.message_user(request, locked_message(update), messages.INFO)
            elif update.review_state == ReviewState.SUBMITTED and super().has_change_permission(request, update):
                extra_context["review_form"] = ReviewForm()
                extra_context["preview"] = approval_preview(update)
                extra_context["correct_url"] = (
                    reverse("admin:roadmaps_progressupdate_on_behalf")
                    + f"?action={update.action_id}&replaces={update.pk}"
                )
                extra_context["review_url"] = reverse("admin:roadmaps_progressupdate_review", args=[quote(update.pk)])
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        update = self.get_object(request, unquote(object_id))
        if update is not None and update.is_locked:
            self.message_user(request, locked_message(update), messages.ERROR)
        return super().delete_view(request, object_id, extra_context)

    def review_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not super().has_change_permission(request):
            raise PermissionDenied
        update = self.get_object(request, unquote(object_id))
        if update is None:
            raise Http404
        change_url = admin_review.next_after_review(request, update)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("Choose approve or return."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "approve":
                reviewed = progress_update_approve(update=update, reviewer=request.user, comment=comment.strip())
            else:
                reviewed = progress_update_return(update=update, reviewer=request.user, comment=comment)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(change_url)
        except InvalidStateError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(change_url)
        note_decision(reviewed)
        if decision == "approve":
            action = Action.objects.get(pk=reviewed.action_id)
            message = _(
                "Update approved: %(country)s's state on action %(code)s is its latest approved report; the "
                "action overall is now %(percent)s%% (%(status)s)."
            ) % {
                "country": reviewed.country.name,
                "code": action.code,
                "percent": action.percent_complete,
                "status": action.get_status_display(),
            }
        else:
            message = _("Update returned to the focal point with your comment.")
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    @admin.action(description=gettext_lazy("Approve selected updates"), permissions=["change"])
    def approve_selected(self, request, queryset):
        # All at once, by the rules of one approval (roadmaps.review_bulk): fifty in a few hundred queries.
        reviewed, skipped = progress_updates_approve(
            update_ids=queryset.values_list("pk", flat=True), reviewer=request.user
        )
        approved = len(reviewed)
        if approved:
            self.message_user(
                request,
                ngettext("%(count)d update approved.", "%(count)d updates approved.", approved) % {"count": approved},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(request, skipped_message(skipped), messages.WARNING)

    @admin.action(description=gettext_lazy("Return selected updates (asks for a comment)"), permissions=["change"])
    def return_selected(self, request, queryset):
        form = ReturnCommentForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST:
            if form.is_valid():
                returned, skipped = 0, 0
                for update in queryset.order_by("reporting_date", "pk"):
                    try:
                        reviewed = progress_update_return(
                            update=update, reviewer=request.user, comment=form.cleaned_data["comment"]
                        )
                    except InvalidStateError:
                        skipped += 1
                        continue
                    note_decision(reviewed)
                    returned += 1
                if returned:
                    self.message_user(
                        request,
                        ngettext("%(count)d update returned.", "%(count)d updates returned.", returned)
                        % {"count": returned},
                        messages.SUCCESS,
                    )
                if skipped:
                    self.message_user(request, skipped_message(skipped), messages.WARNING)
                return None
            self.message_user(request, _("Nothing was returned: write a comment for the focal points."), messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return progress updates"),
            "opts": self.opts,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/roadmaps/progressupdate/return_selected.html", context)


def locked_message(update: ProgressUpdate) -> str:
    return _(
        "This update was approved by %(reviewer)s on %(date)s. Approved updates cannot be edited or deleted, "
        "by anyone: they are the record of what was reported. A correction is a new update."
    ) % {
        "reviewer": update.reviewer or "—",
        "date": timezone.localtime(update.reviewed_at).strftime("%Y-%m-%d") if update.reviewed_at else "—",
    }


def skipped_message(count: int) -> str:
    return ngettext(
        "%(count)d update was skipped: it was already reviewed.",
        "%(count)d updates were skipped: they were already reviewed.",
        count,
    ) % {"count": count}


from roadmaps import admin_cycles  # noqa: E402,F401  (registers the reporting cycles' admin)
