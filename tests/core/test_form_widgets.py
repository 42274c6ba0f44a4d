"""The widgets written in Python (core.form_widgets) give the very HTML of Django's widget templates:
the filter forms look and submit the same, only faster."""

import pytest
from django import forms
from django.utils import translation

from core import form_widgets
from regional.forms import ReviewFilterForm, RoadmapFilterForm


def _as_django(form):
    """The same form with each Python-written widget turned back into its Django class."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, form_widgets.WrittenInPython):
            widget.__class__ = type(widget).__bases__[1]
    return form


def _html(form):
    parts = []
    for bound in form:
        parts.append(str(bound))
        if isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
            parts += [choice.tag() for choice in bound] + [choice.tag(wrap_label=True) for choice in bound]
    return parts


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    ("form_class", "data"),
    [
        (ReviewFilterForm, None),
        (ReviewFilterForm, {"countries": ["SV", "GT"], "objective": "3", "date_from": "2026-01-01"}),
        (ReviewFilterForm, {"countries": ["SV"], "date_to": "not a date"}),
        (RoadmapFilterForm, {"q": 'say "<b>" & more', "country": "SV", "objective": "23"}),
        (RoadmapFilterForm, None),
    ],
)
def test_python_widgets_write_the_html_of_django_templates(world, form_class, data, language):
    with translation.override(language):
        ours = _html(form_class(data))
        django = _html(_as_django(form_class(data)))
    assert ours == django
    assert any("<select" in part for part in ours) and any("<input" in part for part in ours)


class _Everything(forms.Form):
    grouped = forms.MultipleChoiceField(
        choices=[("Números", [(1, "uno"), (2, "<dos>")]), ("x&y", "solo")],
        widget=form_widgets.Select(attrs={"multiple": True, "disabled": False, "data-x": 'a"b'}),
    )
    pick = forms.ChoiceField(choices=[("", "—"), ("a", "A & B")], widget=form_widgets.Select)
    boxes = forms.MultipleChoiceField(
        choices=[("a", "<i>a</i>"), ("b", "b")], widget=form_widgets.CheckboxSelectMultiple
    )
    day = forms.DateField(widget=form_widgets.DateInput(attrs={"type": "date"}), required=False)
    text = forms.CharField(widget=form_widgets.TextInput(attrs={"placeholder": "<x>"}))


@pytest.mark.parametrize("data", [None, {"grouped": ["2"], "pick": "a", "boxes": ["b"], "text": "it's"}])
def test_python_widgets_agree_on_groups_escaping_and_boolean_attributes(data):
    assert _html(_Everything(data)) == _html(_as_django(_Everything(data)))
