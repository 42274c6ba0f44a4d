"""`{% load regional_links %}`: links the regional pages' shared tables need."""

from django import template
from django.urls import reverse

from regional import table_rows

register = template.Library()


@register.filter
def with_objective_pages(rows):
    """(row, link to its objective's page) per summary row: the pairs `_objective_summary.html` takes."""
    return [(row, reverse("regional:objective_detail", args=[row.objective.number])) for row in rows]


@register.simple_tag
def action_rows(actions):
    """The rows of an action table (`regional.table_rows`: rendered in Python, a table being hundreds
    of cells)."""
    return table_rows.action_rows(actions)


@register.simple_tag
def roadmap_rows(roadmaps):
    """The rows of a roadmap table (`regional.table_rows`)."""
    return table_rows.roadmap_rows(roadmaps)


@register.simple_tag
def review_rows(rows):
    """The detail rows of one objective × country table of the review report (`regional.table_rows`)."""
    return table_rows.review_rows(rows)
