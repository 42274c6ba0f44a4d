"""Reads of the focal point's workspace: each starts from the user's own countries."""

from django.db.models import Exists, OuterRef, Prefetch

from accounts import roles
from roadmaps import cycle_reminders
from roadmaps.models import Action, CountryProgress, ProgressUpdate, ReportingCycle, ReviewState, Roadmap


def my_actions(*, user, roadmap=None, objective=None, status: str = ""):
    """The actions the user's countries are responsible for, soonest due first (no due date last)."""
    country_ids = roles.focal_country_ids(user)
    actions = Action.objects.reported_by(user)
    if roadmap is not None:
        actions = actions.filter(roadmap=roadmap)
    if objective is not None:
        actions = actions.serving_objective(objective.pk)
    if status:
        actions = actions.filter(status=status)
    # Due soon / overdue come from the model's properties: no extra query per row. Each of the user's
    # countries' own state on the action comes with it (one query for the page).
    mine = Prefetch(
        "country_progress",
        queryset=CountryProgress.objects.filter(country_id__in=country_ids).select_related("country"),
        to_attr="my_states",
    )
    return (
        actions.select_related("roadmap")
        .prefetch_related("countries", mine)
        .order_by("due_date", "roadmap__slug", "code")
    )


def my_cycle_todo(*, user) -> list[dict]:
    """For each open cycle: the (action, country) pairs of the user's countries still to report on."""
    country_ids = roles.focal_country_ids(user)
    return [
        {"cycle": cycle, "missing": list(cycle_reminders.missing_reports(cycle, country_ids))}
        for cycle in ReportingCycle.objects.open().order_by("deadline", "key")
    ]


def my_roadmaps(*, user):
    return Roadmap.objects.filter(id__in=Action.objects.reported_by(user).values("roadmap_id"))


def _my_updates(user):
    return ProgressUpdate.objects.filter(country_id__in=roles.focal_country_ids(user)).select_related(
        "action", "action__roadmap", "country", "author", "reviewer"
    )


def my_pending_updates(*, user):
    return _my_updates(user).filter(review_state=ReviewState.SUBMITTED).latest_first()


def my_open_returned_updates(*, user):
    """Returned updates not yet answered by a newer update on the same action for the same country."""
    answered = ProgressUpdate.objects.filter(
        action_id=OuterRef("action_id"), country_id=OuterRef("country_id"), created_at__gt=OuterRef("created_at")
    )
    return _my_updates(user).filter(review_state=ReviewState.RETURNED).filter(~Exists(answered)).latest_first()


def open_returned_update(*, user, action, update_id=None):
    """The returned update the report form answers: the one asked for, else the latest unanswered one."""
    returned = my_open_returned_updates(user=user).filter(action=action)
    if update_id is not None:
        return returned.filter(pk=update_id).first()
    return returned.first()


def latest_updates(*, user, action, limit: int = 5):
    """The action's latest updates this user may read (approved ones, and all of their own countries')."""
    return list(
        ProgressUpdate.objects.visible_to(user)
        .filter(action=action)
        .select_related("country", "author", "reviewer")
        .latest_first()[:limit]
    )
