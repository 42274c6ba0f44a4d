"""Absolute links for messages, in the language the message is being rendered in."""

from django import template

from notifications.services import absolute_url, report_url

register = template.Library()


@register.simple_tag
def action_report_url(action_id) -> str:
    return report_url(action_id)


@register.simple_tag
def workspace_url() -> str:
    return absolute_url("workspace:home", fallback="/my/")


@register.simple_tag
def review_queue_url() -> str:
    return absolute_url(
        "admin:roadmaps_progressupdate_changelist",
        fallback="/admin/roadmaps/progressupdate/",
        query="?review_state__exact=submitted",
    )


@register.simple_tag
def review_update_url(update_id) -> str:
    return absolute_url(
        "admin:roadmaps_progressupdate_change",
        kwargs={"object_id": update_id},
        fallback=f"/admin/roadmaps/progressupdate/{update_id}/change/",
    )
