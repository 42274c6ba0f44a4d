"""The review of focal points' progress updates: approve or return one from its page, or many from
the list; approved updates are locked. The queue and the on-behalf page are in `review_pages`."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from simple_history.utils import update_change_reason

from core.admin_tools import ExportMixin, HistoryAdmin
from core.errors import InvalidStateError
from roadmaps.admin import review_pages
from roadmaps.admin.decisions import back, object_or_404, own_urls
from roadmaps.admin.indicator import IndicatorValueInline
from roadmaps.admin.lists import short
from roadmaps.models import Action, ProgressUpdate, ReviewState
from roadmaps.review_bulk import progress_updates_approve
from roadmaps.services import approval_preview, progress_update_approve, progress_update_return


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
        views = {
            ("<path:object_id>/review/", "roadmaps_progressupdate_review"): self.review_view,
            ("queue/", "roadmaps_progressupdate_queue"): lambda request: review_pages.queue_view(self, request),
            ("on-behalf/", "roadmaps_progressupdate_on_behalf"): lambda request: review_pages.on_behalf_view(
                self, request
            ),
        }
        return own_urls(self, views) + super().get_urls()

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

    @method_decorator(require_POST)
    def review_view(self, request, object_id):
        if not super().has_change_permission(request):
            raise PermissionDenied
        update = object_or_404(self, request, object_id)
        change_url = review_pages.next_after_review(request, update)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return back(self, request, change_url, _("Choose approve or return."))
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "approve":
                reviewed = progress_update_approve(update=update, reviewer=request.user, comment=comment.strip())
            else:
                reviewed = progress_update_return(update=update, reviewer=request.user, comment=comment)
        except ValidationError as error:
            return back(self, request, change_url, " ".join(error.messages))
        except InvalidStateError as error:
            return back(self, request, change_url, str(error))
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
        return back(self, request, change_url, message, messages.SUCCESS)

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
