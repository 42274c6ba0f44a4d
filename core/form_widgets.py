"""Form widgets that write their HTML in Python: the very markup of Django's widget templates
(django/forms/widgets/input.html, input_option.html, select.html, select_option.html, attrs.html)
without a template rendering per option. The review report's filters (35 country boxes, a select of
23 objectives and one of the closed cycles) spent 20–30 ms in those templates at each first
rendering (issue 22). Any other template a widget asks for is rendered by Django as usual.
"""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)))
    return "".join(out)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, mark_safe(_attrs(widget["attrs"]))
    )


def _input_option(widget: dict) -> str:
    if not widget.get("wrap_label"):
        return _input(widget)
    label_for = format_html(' for="{}"', widget["attrs"]["id"]) if widget["attrs"].get("id") else ""
    # (an included template keeps its file's last newline; only the outermost one is stripped)
    return format_html("<label{}>{}\n {}</label>", label_for, mark_safe(_input(widget)), widget["label"])


def _option(widget: dict) -> str:
    return format_html(
        '<option value="{}"{}>{}</option>', str(widget["value"]), mark_safe(_attrs(widget["attrs"])), widget["label"]
    )


def _select(widget: dict) -> str:
    parts = [format_html('<select name="{}"{}>', widget["name"], mark_safe(_attrs(widget["attrs"])))]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in group_choices:
            parts.append("\n  " + _WRITERS[option["template_name"]](option) + "\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)  # every part escaped by format_html


_INPUTS = ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel")
_WRITERS = {
    **{f"django/forms/widgets/{name}.html": _input for name in ("input", *_INPUTS)},
    "django/forms/widgets/input_option.html": _input_option,
    "django/forms/widgets/checkbox_option.html": _input_option,
    "django/forms/widgets/radio_option.html": _input_option,
    "django/forms/widgets/select_option.html": _option,
    "django/forms/widgets/select.html": _select,
}


class WrittenInPython:
    """Mixin for a widget class: its templates above are written in Python (same HTML)."""

    def _render(self, template_name, context, renderer=None):
        write = _WRITERS.get(template_name)
        if write is None:
            return super()._render(template_name, context, renderer)
        return mark_safe(write(context["widget"]))


class TextInput(WrittenInPython, forms.TextInput):
    pass


class DateInput(WrittenInPython, forms.DateInput):
    pass


class Select(WrittenInPython, forms.Select):
    pass


class CheckboxSelectMultiple(WrittenInPython, forms.CheckboxSelectMultiple):
    pass
