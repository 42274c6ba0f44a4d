"""`{% load practices %}`: the practice blocks for other apps' pages, each computed for the viewer; form helpers."""

from django import template

from practices import selectors

register = template.Library()


@register.inclusion_tag("practices/_for_objective.html", takes_context=True)
def practices_for_objective(context, objective, limit=6):
    user = context["request"].user
    return {"objective": objective, "practices": selectors.practices_for_objective(objective, user, limit=limit)}


@register.inclusion_tag("practices/_related.html", takes_context=True)
def related_practices(context, action, limit=5):
    user = context["request"].user
    return {"action": action, "practices": selectors.related_practices(action, user, limit=limit)}


@register.filter
def fields(form, names):
    """The bound fields of `form` named in `names` (space-separated), in that order: a fieldset's fields."""
    return [form[name] for name in names.split()]
