"""Forms of the focal point's workspace. They translate input and messages; the rules live in the services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from countries.models import Country
from gcm.models import Objective
from roadmaps.models import COMPLETED_MEANS_100_MESSAGE, ActionStatus, ReportingCycle, Roadmap
from roadmaps.uploads import ALLOWED_TYPES_LABEL, validate_evidence_file
from workspace.indicator_fields import add_indicator_fields, clean_indicator_fields

NARRATIVE_MAX = 10000
NOTES_MAX = 5000


class ProgressReportForm(forms.Form):
    """One progress update on one action. `countries`: the countries the user may report for on it."""

    country = forms.ModelChoiceField(
        label=_("Reporting for"),
        queryset=None,
        empty_label=None,
        help_text=_("You serve several of this action's responsible countries: choose the one you report for."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    percent_complete = forms.IntegerField(
        label=_("Percent complete"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
        help_text=_("From 0 to 100. Status “completed” means 100 %."),
    )
    narrative = forms.CharField(
        label=_("What was done"),
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At most 10 000 characters."),
    )
    challenges = forms.CharField(
        label=_("Challenges"), max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A web address where the evidence can be read, if there is one."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        validators=[validate_evidence_file],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
    )
    reporting_date = forms.DateField(
        label=_("Reporting date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day your report describes. Empty: today."),
    )
    cycle = forms.ModelChoiceField(
        label=_("Reporting cycle"),
        queryset=ReportingCycle.objects.none(),
        required=False,
        to_field_name="key",
        help_text=_("The round of reporting this answers. Empty: the open cycle covering the reporting date."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, countries, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        add_indicator_fields(self, indicators)
        self.fields["evidence_file"].help_text = _("%(types)s, at most %(limit)s MB.") % {
            "types": ALLOWED_TYPES_LABEL,
            "limit": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
        }
        self.fields["cycle"].queryset = ReportingCycle.objects.open().order_by("deadline", "key")
        self.fields["cycle"].empty_label = _("The open cycle covering the date")
        self.countries = list(countries)
        if len(self.countries) > 1:
            self.fields["country"].queryset = Country.objects.filter(id__in=[c.id for c in self.countries])
        else:
            # One country: nothing to choose.
            del self.fields["country"]

    def clean(self):
        data = super().clean()
        if data.get("status") == ActionStatus.COMPLETED and data.get("percent_complete") not in (None, 100):
            self.add_error("percent_complete", COMPLETED_MEANS_100_MESSAGE % {})
        self.indicator_values = clean_indicator_fields(self)
        return data

    def chosen_country(self):
        if "country" in self.fields:
            return self.cleaned_data["country"]
        return self.countries[0]


class WorkspaceFilterForm(forms.Form):
    """The GET filters of /my/ (all optional)."""

    roadmap = forms.ModelChoiceField(label=_("Roadmap"), queryset=Roadmap.objects.none(), required=False)
    objective = forms.ModelChoiceField(
        label=pgettext_lazy("filter label", "GCM objective"),
        queryset=Objective.objects.order_by("number"),
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, roadmaps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].queryset = roadmaps
        self.fields["roadmap"].empty_label = _("All roadmaps")
        self.fields["objective"].empty_label = _("All objectives")
        self.fields["status"].choices = [("", _("All statuses")), *ActionStatus.choices]


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("Fill in the template: one row per update. Rows left empty are ignored."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                code="file_too_large",
                params={"size": round(file.size / 1024 / 1024, 1), "limit": settings.MAX_UPLOAD_BYTES // 1048576},
            )
        return file
