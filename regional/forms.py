"""Filter forms of the regional pages (GET) and the secretariat's *not related* form (POST)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import form_widgets
from core.bilingual import localized_expression
from countries.models import Country
from gcm.models import Objective
from roadmaps.models import ReportingCycle, RoadmapStatus, Theme


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CountryMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.short_title or obj.title}"


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.key} · {obj.title}"


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


def _countries():
    return Country.objects.order_by(localized_expression("name"))


class RoadmapFilterForm(forms.Form):
    # Widgets written in Python (core.form_widgets): the same HTML, without a template per option.
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=form_widgets.TextInput)
    country = CountryChoiceField(
        label=_("Country"),
        queryset=Country.objects.none(),
        required=False,
        to_field_name="code",
        widget=form_widgets.Select,
    )
    objective = ObjectiveChoiceField(
        label=pgettext_lazy("regional", "GCM objective"),
        queryset=Objective.objects.none(),
        required=False,
        to_field_name="number",
        widget=form_widgets.Select,
    )
    theme = ThemeChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        to_field_name="slug",
        widget=form_widgets.Select,
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any"))], widget=form_widgets.Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = _countries()
        self.fields["objective"].queryset = Objective.objects.order_by("number")
        self.fields["theme"].queryset = Theme.objects.order_by(localized_expression("title"))
        self.fields["status"].choices = [("", _("Any")), *RoadmapStatus.choices]
        for name in ("country", "objective", "theme"):
            self.fields[name].empty_label = _("Any")


NATIVE_DATE = form_widgets.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewFilterForm(forms.Form):
    # The browser's own date picker, in the viewer's language; it always sends (and needs) ISO dates,
    # so no format hint that would contradict what it shows.
    date_from = forms.DateField(label=_("From"), required=False, widget=NATIVE_DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=NATIVE_DATE)
    countries = CountryMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.none(),
        required=False,
        to_field_name="code",
        help_text=_("None selected: every country."),
        widget=form_widgets.CheckboxSelectMultiple,
    )
    objective = ObjectiveChoiceField(
        label=pgettext_lazy("regional", "GCM objective"),
        queryset=Objective.objects.none(),
        required=False,
        to_field_name="number",
        help_text=_("Narrows the detailed rows; the summaries cover every objective."),
        widget=form_widgets.Select,
    )
    as_of = forms.DateField(
        label=_("Status as of"),
        required=False,
        widget=form_widgets.DateInput(attrs={"type": "date"}),
        help_text=_("Each country's status as it stood that day. Default: the end of the period, else today."),
    )
    cycle = CycleChoiceField(
        label=_("Closed cycle"),
        queryset=ReportingCycle.objects.none(),
        required=False,
        to_field_name="key",
        help_text=_("The frozen snapshot of a closed reporting cycle, as it was published."),
        widget=form_widgets.Select,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].queryset = _countries()
        self.fields["objective"].queryset = Objective.objects.order_by("number")
        self.fields["objective"].empty_label = _("Any")
        self.fields["cycle"].queryset = ReportingCycle.objects.closed()
        self.fields["cycle"].empty_label = _("None: live data")
        self.fields["cycle"].error_messages["invalid_choice"] = _(
            "No closed reporting cycle has this key (an open cycle has no snapshot yet)."
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        if cleaned.get("cycle") and (cleaned.get("as_of") or start or end):
            self.add_error("cycle", _("A cycle's snapshot has its own period and date: leave the dates empty."))
        as_of = cleaned.get("as_of")
        if as_of and as_of > timezone.localdate():
            self.add_error("as_of", _("The status cannot be read as of a day in the future."))
        return cleaned


class CollaborationFilterForm(forms.Form):
    min_score = forms.IntegerField(
        label=_("Minimum score"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("0–100; lower it to see looser matches."),
    )
    objective = ObjectiveChoiceField(
        label=pgettext_lazy("regional", "GCM objective"),
        queryset=Objective.objects.none(),
        required=False,
        to_field_name="number",
    )
    country = CountryChoiceField(
        label=_("Country"), queryset=Country.objects.none(), required=False, to_field_name="code"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.order_by("number")
        self.fields["country"].queryset = _countries()
        self.fields["objective"].empty_label = _("Any")
        self.fields["country"].empty_label = _("Any")


class NotRelatedForm(forms.Form):
    first = forms.IntegerField(label=_("First action"), min_value=1)
    second = forms.IntegerField(label=_("Second action"), min_value=1)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError(_("An action cannot be paired with itself."))
        return cleaned
