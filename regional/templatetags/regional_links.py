"""`{% load regional_links %}`: links the regional pages' shared tables need."""

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def with_objective_pages(rows):
    """(row, link to its objective's page) per summary row: the pairs `_objective_summary.html` takes."""
    return [(row, reverse("regional:objective_detail", args=[row.objective.number])) for row in rows]
