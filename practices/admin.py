"""The secretariat reviews good practices here: publish or return with a comment, one by one (the
review page linked from each practice) or in bulk (list actions). Both call `practices.services`.
The review state is read-only in the change form, so it changes only through those services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_tools import HistoryAdmin
from core.errors import InvalidStateError
from practices import services
from practices.forms import ReturnForm
from practices.models import GoodPractice, PracticeAttachment, PracticeStatus


class PracticeAttachmentInline(admin.TabularInline):
    model = PracticeAttachment
    extra = 0
    fields = ["file", "download", "description", "uploaded_by", "uploaded_at"]
    readonly_fields = ["download", "uploaded_by", "uploaded_at"]
    # Private files have no public URL: the plain file input does not try to link the stored file,
    # and `download` links it through the view that checks permission.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    @admin.display(description=_("stored file"))
    def download(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.file.name.rsplit("/", 1)[-1])

    # Files are part of the practice: whoever may change the practice may manage its files (the
    # Secretariat group's permissions name the practice, not each of its parts).
    def _practice_permission(self, request, verb):
        return request.user.has_perm(f"practices.{verb}_goodpractice")

    def has_view_permission(self, request, obj=None):
        return self._practice_permission(request, "view")

    def has_add_permission(self, request, obj=None):
        return self._practice_permission(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._practice_permission(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._practice_permission(request, "change")


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error.args[0]) if error.args else str(error)


# Set by the review, never edited here (read-only, in the Review fieldset).
REVIEW_FIELDS = [
    "status",
    "review_link",
    "author",
    "submitted_at",
    "reviewer",
    "reviewed_at",
    "published_at",
    "review_comment",
    "created_at",
    "updated_at",
]


@admin.register(GoodPractice)
class GoodPracticeAdmin(HistoryAdmin):
    list_display = ["title_en", "title_es", "country_list", "status", "submitted_at", "published_at", "review_link"]
    list_filter = ["status", "countries", "objectives", "language"]
    search_fields = ["title_en", "title_es", "summary_en", "summary_es"]
    filter_horizontal = ["countries", "objectives", "principles", "partners"]
    autocomplete_fields = ["actions"]  # thousands of actions: searched, not listed
    readonly_fields = REVIEW_FIELDS
    fieldsets = [
        (None, {"fields": ["title_en", "title_es", "summary_en", "summary_es", "countries", "start_date", "end_date"]}),
        (_("What it serves"), {"fields": ["objectives", "principles", "actions", "partners"]}),
        (
            _("Narrative"),
            {"fields": ["language", "what_was_done", "results", "lessons_learned", "replication_needs"]},
        ),
        (_("Links and contact"), {"fields": ["links", "contact_role"]}),
        (
            _("Review"),
            {"fields": REVIEW_FIELDS},
        ),
    ]
    inlines = [PracticeAttachmentInline]
    actions = ["publish_selected", "return_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description=_("countries"))
    def country_list(self, obj):
        return ", ".join(country.code for country in obj.countries.all())

    @admin.display(description=_("review"))
    def review_link(self, obj):
        if obj.pk is None or obj.status not in (PracticeStatus.SUBMITTED, PracticeStatus.PUBLISHED):
            return "–"
        label = _("Publish or return") if obj.status == PracticeStatus.SUBMITTED else _("Take back (return)")
        return format_html('<a href="{}">{}</a>', reverse("admin:practices_goodpractice_review", args=[obj.pk]), label)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for attachment in formset.save(commit=False):
            if attachment.uploaded_by_id is None:
                attachment.uploaded_by = request.user
            attachment.save()
        for attachment in formset.deleted_objects:
            attachment.delete()
        formset.save_m2m()

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="practices_goodpractice_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        """One practice: read it, then publish or return it with a comment."""
        practice = get_object_or_404(GoodPractice, pk=pk)
        if not self.has_change_permission(request, practice):
            raise PermissionDenied
        form = ReturnForm(request.POST or None)
        status = 200
        if request.method == "POST":
            try:
                if "publish" in request.POST:
                    services.practice_publish(
                        practice=practice, reviewer=request.user, comment=request.POST.get("review_comment", "")
                    )
                    self.message_user(request, _("Practice published."), messages.SUCCESS)
                    return redirect("admin:practices_goodpractice_change", practice.pk)
                if form.is_valid():
                    services.practice_return(
                        practice=practice, reviewer=request.user, comment=form.cleaned_data["review_comment"]
                    )
                    self.message_user(request, _("Practice returned to its focal points."), messages.SUCCESS)
                    return redirect("admin:practices_goodpractice_change", practice.pk)
                status = 400
            except (PermissionDenied, InvalidStateError) as error:
                self.message_user(request, _error_text(error), messages.ERROR)
                return redirect("admin:practices_goodpractice_change", practice.pk)
            except ValidationError as error:
                status = 400
                form.add_error(None, error.messages)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Review: %(title)s") % {"title": practice.title},
            "practice": practice,
            "form": form,
        }
        return TemplateResponse(request, "practices/admin/review.html", context, status=status)

    @admin.action(description=_("Publish the selected submitted practices"))
    def publish_selected(self, request, queryset):
        done, failed = 0, []
        for practice in queryset:
            try:
                services.practice_publish(practice=practice, reviewer=request.user)
                done += 1
            except (PermissionDenied, InvalidStateError, ValidationError) as error:
                failed.append(f"{practice}: {_error_text(error)}")
        self._report(request, done, failed, ngettext("%(n)d practice published.", "%(n)d practices published.", done))

    @admin.action(description=_("Return the selected practices with a comment"))
    def return_selected(self, request, queryset):
        """First call: ask for the comment. Second call (with `apply`): return each practice."""
        form = ReturnForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, failed = 0, []
            for practice in queryset:
                try:
                    services.practice_return(
                        practice=practice, reviewer=request.user, comment=form.cleaned_data["review_comment"]
                    )
                    done += 1
                except (PermissionDenied, InvalidStateError, ValidationError) as error:
                    failed.append(f"{practice}: {_error_text(error)}")
            self._report(request, done, failed, ngettext("%(n)d practice returned.", "%(n)d practices returned.", done))
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Return good practices"),
            "practices": queryset,
            "form": form,
            "action_name": "return_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "practices/admin/return_selected.html", context)

    def _report(self, request, done, failed, done_message):
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
        for line in failed:
            self.message_user(request, line, messages.ERROR)
