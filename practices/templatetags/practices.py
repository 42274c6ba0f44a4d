"""`{% load practices %}` for other apps' pages: the practice blocks, each computed for the viewer."""

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
