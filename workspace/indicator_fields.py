"""The indicator fields of the progress form: one value per indicator of the action, and one field per
category of each of its disaggregation dimensions. The model's rules (roadmaps.models.indicators) check
them, so the message shows under the field the focal point typed in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from roadmaps.models import CATEGORIES, Dimension, indicator_value_errors


def _name(indicator, dimension=None, category=None):
    return "_".join(str(part) for part in ("indicator", indicator.pk, dimension, category) if part)


def add_indicator_fields(form, indicators) -> None:
    form.indicators = list(indicators)
    dimension_labels = dict(Dimension.choices)
    for indicator in form.indicators:
        unit = indicator.get_unit_display()
        form.fields[_name(indicator)] = forms.DecimalField(
            label=_("Indicator %(code)s: %(name)s (%(unit)s)")
            % {"code": indicator.code, "name": indicator.name, "unit": unit},
            required=False,
            max_digits=16,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            help_text=_("This cycle's value. Leave empty if you do not report it now."),
        )
        for dimension in indicator.dimensions:
            for category, label in CATEGORIES[dimension].items():
                form.fields[_name(indicator, dimension, category)] = forms.DecimalField(
                    label=_("%(code)s · %(dimension)s: %(category)s")
                    % {"code": indicator.code, "dimension": dimension_labels[dimension], "category": label},
                    required=False,
                    max_digits=16,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
                )


def clean_indicator_fields(form) -> list[dict]:
    """The reported values as the service takes them; errors added to the fields."""
    values = []
    for indicator in getattr(form, "indicators", []):
        name = _name(indicator)
        value = form.cleaned_data.get(name)
        disaggregation = {}
        for dimension in indicator.dimensions:
            parts = {
                category: form.cleaned_data.get(_name(indicator, dimension, category))
                for category in CATEGORIES[dimension]
            }
            parts = {category: v for category, v in parts.items() if v is not None}
            if parts:
                disaggregation[dimension] = parts
        if value is None:
            if disaggregation:
                form.add_error(name, _("Give the total as well as its parts."))
            continue
        errors = indicator_value_errors(indicator, value, disaggregation)
        for messages in errors.values():
            for message in messages:
                form.add_error(name, message)
        values.append({"indicator": indicator, "value": value, "disaggregation": disaggregation})
    return values
