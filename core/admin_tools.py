"""Pieces every app's admin shares: the labels of bilingual fieldsets, the readable and read-only
history, and export of a changelist.

On the ground floor (`core`), beside the spreadsheet helpers it uses: every domain app's admin builds
on it and it depends on none of them, so the arrows point down.
"""

import csv
import datetime
import io

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from core.spreadsheets import XLSX_CONTENT_TYPE, csv_safe, workbook_bytes

# Fieldset titles used by every admin page with English and Spanish fields side by side.
NAMES = gettext_lazy("Names (English · Spanish)")
TITLES = gettext_lazy("Titles (English · Spanish)")
DESCRIPTIONS = gettext_lazy("Descriptions (English · Spanish)")
ACRONYMS = gettext_lazy("Acronyms (English · Spanish)")
REFERENCE = gettext_lazy("Reference data")
WHERE_WHEN = gettext_lazy("Where and when")
DETAILS = gettext_lazy("Details")

# Django admin's own pages (user and token) need a few of our words too.
PARTNER_TOKEN_HELP = gettext_lazy("Tokens are issued only to users in the Partners group.")
SUPERUSER_ONLY = gettext_lazy("Only a superuser changes passwords, superuser status and individual permissions.")
PROFILE_LABEL = gettext_lazy("preferences")
INVITE_HELP = gettext_lazy(
    "The account has no password: its owner sets one with “Forgot your password?” on the sign-in page."
)
EMAIL_TAKEN = gettext_lazy("Another account already uses this email address.")

REFERENCE_FIELDSET = (
    REFERENCE,
    {"classes": ["collapse"], "fields": ["is_verified", "reference_note", "reference_values"]},
)

EXPORT_FORMATS = ("csv", "xlsx")


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change is kept and shown; a past version is read, never restored from here.

    django-simple-history's revert form saves whatever it is posted (it checks only *view* permission
    and the old version's state): it would skip the services' rules, the actions' version numbers and
    the lock on approved progress updates. A correction is a new edit instead.
    """

    class Media:
        # English and Spanish fields side by side (static/css/secretariat-admin.css).
        css = {"all": ["css/secretariat-admin.css"]}

    # Our copy of the library's list: column titles by verbose name, values readable (history_value).
    object_history_list_template = "admin/history_list.html"

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

    def render_history_view(self, request, template, context, **kwargs):
        # The version list (not the single-version page): titles and readable values for its columns.
        names = context.get("history_list_display")
        if names is not None and "page_obj" in context:
            context["history_columns"] = [history_column_title(self.model, name) for name in names]
            for record in context["page_obj"]:
                record.readable_columns = [_record_value(self.model, record, name) for name in names]
        return super().render_history_view(request, template, context, **kwargs)


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _record_value(model, record, name: str):
    field = _field(model, name)
    try:
        value = getattr(record, name, None)
    except ObjectDoesNotExist:  # a related row deleted since (history keeps its id)
        value = DeletedObject(field.related_model, getattr(record, field.attname, None))
    return history_value(field, value)


def history_column_title(model, name: str) -> str:
    field = _field(model, name)
    return capfirst(field.verbose_name) if field is not None else capfirst(name.replace("_", " "))


def history_value(field, value):
    """One value of a past version as a person reads it: a choice by its label, a related row by its
    name (or "deleted" with its id), a time in local time to the minute, yes/no, "—" for nothing."""
    if isinstance(value, list):
        return ", ".join(str(history_value(None, item)) for item in value) or "—"
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return "—"
        return _("deleted %(kind)s (id %(id)s)") % {"kind": value.model._meta.verbose_name, "id": value.pk}
    if value is None or value == "":
        return "—"
    if field is not None and field.flatchoices:
        return force_str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


class ReadableHistory(HistoricalRecordContextHelper):
    """What changed between two versions, each value through `history_value`."""

    def prepare_delta_change_value(self, change, value):
        prepared = super().prepare_delta_change_value(change, value)
        return history_value(self.model._meta.get_field(change.field), prepared)


def cell_text(value, field=None) -> str | int | float:
    """One value as a spreadsheet cell: choices by their label, dates ISO, objects by their name."""
    if value is None:
        return ""
    if field is not None and getattr(field, "flatchoices", None):
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return force_str(value)


class ExportMixin:
    """Changelist buttons "CSV" and "Excel" that download the rows the current filters show, and the
    same two as admin actions for the ticked rows.

    Columns are `export_fields` when set, else the changelist's columns.
    """

    change_list_template = "admin/export_change_list.html"
    export_fields: list[str] | None = None

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            )
        ]
        return own + super().get_urls()

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_view_permission(request):
            for name in ("export_selected_csv", "export_selected_xlsx"):
                func = getattr(type(self), name)
                actions[name] = (func, name, func.short_description)
        return actions

    def export_selected_csv(self, request, queryset):
        return self.export_response(request, queryset, "csv")

    export_selected_csv.short_description = gettext_lazy("Export selected to CSV")

    def export_selected_xlsx(self, request, queryset):
        return self.export_response(request, queryset, "xlsx")

    export_selected_xlsx.short_description = gettext_lazy("Export selected to Excel (XLSX)")

    def export_view(self, request, fmt):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if fmt not in EXPORT_FORMATS:
            raise Http404
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            messages.error(request, _("These filters are not valid; nothing was exported."))
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_changelist".format(*info)))
        return self.export_response(request, changelist.get_queryset(request), fmt)

    def get_export_fields(self, request) -> list[str]:
        if self.export_fields:
            return list(self.export_fields)
        return [name for name in self.get_list_display(request) if name != "action_checkbox"]

    def export_rows(self, request, queryset):
        names = self.get_export_fields(request)
        yield [capfirst(force_str(label_for_field(name, self.model, model_admin=self))) for name in names]
        for obj in queryset:
            row = []
            for name in names:
                field, _attr, value = lookup_field(name, obj, self)
                row.append(cell_text(value, field))
            yield row

    def export_response(self, request, queryset, fmt):
        stamp = timezone.localdate().isoformat()
        filename = f"{self.opts.model_name}-{stamp}.{fmt}"
        rows = self.export_rows(request, queryset)
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in rows:
                writer.writerow([csv_safe(value) for value in row])
            # A byte-order mark so that spreadsheet programs read the accents right.
            response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                workbook_bytes(force_str(self.opts.verbose_name_plural), rows),
                content_type=XLSX_CONTENT_TYPE,
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
