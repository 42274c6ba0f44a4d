"""The secretariat's admin for reporting cycles: dates, expected countries, and the decisions (open,
close, reopen with a reason), each through `roadmaps.cycles` and kept in the history."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.admin_tools import HistoryAdmin
from roadmaps import cycles
from roadmaps.admin.decisions import back, object_or_404, own_urls
from roadmaps.models import CycleState, ReportingCycle

DECISIONS = {"open": cycles.cycle_open, "close": cycles.cycle_close, "reopen": cycles.cycle_reopen}


class CycleDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("open", gettext_lazy("Open")), ("close", gettext_lazy("Close")), ("reopen", gettext_lazy("Reopen"))]
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed to reopen, and to close with open quality flags; kept in the history."),
    )


@admin.register(ReportingCycle)
class ReportingCycleAdmin(HistoryAdmin):
    change_form_template = "admin/roadmaps/reportingcycle/change_form.html"
    list_display = ["key", "title_en", "period_start", "period_end", "deadline", "state", "closed_at"]
    list_filter = ["state"]
    search_fields = ["key", "title_en", "title_es"]
    autocomplete_fields = ["expected_countries"]
    readonly_fields = ["state", "closed_at", "closed_by", "decision_reason"]
    fieldsets = [
        (None, {"fields": ["key", ("title_en", "title_es")]}),
        (gettext_lazy("Dates"), {"fields": [("period_start", "period_end"), ("opens_on", "deadline")]}),
        (gettext_lazy("Who reports"), {"fields": ["expected_countries"]}),
        (gettext_lazy("Note"), {"fields": [("note_en", "note_es")]}),
        (gettext_lazy("State"), {"fields": ["state", ("closed_at", "closed_by"), "decision_reason"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A closed cycle's dates and countries are part of what its snapshot cites.
        if obj is not None and obj.state == CycleState.CLOSED:
            return [f.name for f in self.model._meta.fields if f.name != "id"] + ["expected_countries"]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.closed_at is not None:
            return False  # its snapshot rows are frozen
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        views = {("<path:object_id>/decide/", "roadmaps_reportingcycle_decide"): self.decide_view}
        return own_urls(self, views) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        cycle = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if cycle is not None and super().has_change_permission(request, cycle):
            extra_context["decision_form"] = CycleDecisionForm()
            extra_context["decide_url"] = reverse("admin:roadmaps_reportingcycle_decide", args=[quote(cycle.pk)])
            extra_context["board_url"] = cycle.get_absolute_url()
            extra_context["next_decisions"] = {
                CycleState.PLANNED: ["open"],
                CycleState.OPEN: ["close"],
                CycleState.CLOSED: ["reopen"],
            }[cycle.state]
            if cycle.state == CycleState.OPEN:
                extra_context["quality_flags"] = cycles.quality_flags(cycle)
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def decide_view(self, request, object_id):
        cycle = object_or_404(self, request, object_id)
        if not super().has_change_permission(request, cycle):
            raise Http404
        change_url = reverse("admin:roadmaps_reportingcycle_change", args=[quote(cycle.pk)])
        form = CycleDecisionForm(request.POST)
        if not form.is_valid():
            return back(self, request, change_url, _("Choose a decision."))
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "open":
                decided = cycles.cycle_open(cycle=cycle, user=request.user)
            else:
                decided = DECISIONS[decision](cycle=cycle, user=request.user, reason=reason)
        except ValidationError as error:
            return back(self, request, change_url, " ".join(error.messages))
        labels = {
            "open": _("Cycle %(key)s is open: focal points can report for it."),
            "close": _("Cycle %(key)s is closed and its snapshot frozen at %(time)s."),
            "reopen": _("Cycle %(key)s is open again; its earlier snapshot stays as it was."),
        }
        message = labels[decision] % {"key": decided.key, "time": decided.closed_at}
        return back(self, request, change_url, message, messages.SUCCESS)
