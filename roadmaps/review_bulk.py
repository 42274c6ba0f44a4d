"""Approving many progress updates at once (the admin's bulk action) in a number of queries that does
not grow with each update's bookkeeping.

The rules are those of services.progress_update_approve, one update at a time: a country's state is
its latest approved update (by reporting date, then approval time), an action's overall follows from
its countries' (roadmaps.models.progress.overall_progress), the action's version grows, and the author's
notice is queued after commit. What changes is only how: the updates are locked, changed and recorded
in history together; the countries' states are read and written together; each touched action is saved
once (its own history entry, with its countries, as any save makes) however many of its updates were
approved; and the notices are queued in one INSERT.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core import queue
from roadmaps.models import Action, CountryProgress, ProgressUpdate, ReviewState, overall_progress
from roadmaps.services import _check_reviewer

REVIEW_FIELDS = ["review_state", "reviewer", "reviewed_at", "review_comment", "updated_at"]


@transaction.atomic
def progress_updates_approve(*, update_ids, reviewer, comment: str = "") -> tuple[list[ProgressUpdate], int]:
    """Approve the submitted updates among `update_ids`: (the approved updates, how many were skipped
    because they were already reviewed)."""
    _check_reviewer(reviewer)
    ids = list(update_ids)
    action_ids = sorted(set(ProgressUpdate.objects.filter(pk__in=ids).values_list("action_id", flat=True)))
    # Lock the actions first (in id order, as two bulk approvals must), then the updates: the order
    # of every submit and review, so no deadlock.
    list(Action.objects.select_for_update().filter(pk__in=action_ids).order_by("pk").values_list("pk", flat=True))
    locked = list(ProgressUpdate.objects.select_for_update().filter(pk__in=ids).order_by("reporting_date", "pk"))
    approved = [u for u in locked if u.review_state == ReviewState.SUBMITTED]
    if not approved:
        return [], len(locked)
    now = timezone.now()
    for update in approved:
        update.review_state, update.reviewer, update.reviewed_at = ReviewState.APPROVED, reviewer, now
        update.review_comment, update.updated_at = comment, now
    bulk_update_with_history(
        approved, ProgressUpdate, REVIEW_FIELDS, default_user=reviewer, default_change_reason=_("Review: approved")
    )
    _refresh_countries(approved)
    _recompute_actions(sorted({u.action_id for u in approved}))
    queue.batch_defer_after_commit("notifications.review_notice", [{"update_id": u.pk} for u in approved])
    return approved, len(locked) - len(approved)


def _refresh_countries(approved: list[ProgressUpdate]) -> None:
    """Each touched (action, country)'s state from its latest approved update (services.country_progress_refresh)."""
    pairs = {(u.action_id, u.country_id) for u in approved}
    action_ids, country_ids = {a for a, _c in pairs}, {c for _a, c in pairs}
    rows = CountryProgress.objects.filter(action_id__in=action_ids, country_id__in=country_ids)
    states = {(s.action_id, s.country_id): s for s in rows.select_for_update(of=("self",)).order_by("pk")}
    latest = (
        ProgressUpdate.objects.approved()
        .filter(action_id__in=action_ids, country_id__in=country_ids)
        .order_by("action_id", "country_id", "-reporting_date", "-reviewed_at", "-id")
        .distinct("action_id", "country_id")
    )
    changed = []
    for update in latest:
        state = states.get((update.action_id, update.country_id))
        if state is None or (update.action_id, update.country_id) not in pairs:
            continue  # no longer responsible (no state row), or a pair this approval did not touch
        state.status, state.percent_complete = update.status, update.percent_complete
        state.update, state.reporting_date, state.updated_at = update, update.reporting_date, timezone.now()
        changed.append(state)
    fields = ["status", "percent_complete", "update", "reporting_date", "updated_at"]
    CountryProgress.objects.bulk_update(changed, fields)


def _recompute_actions(action_ids: list[int]) -> None:
    """Each touched action's overall from its countries' (services.action_progress_recompute), saved once."""
    by_action: dict[int, list] = {pk: [] for pk in action_ids}
    # The model's ordering (by country code), as action_progress_recompute reads them.
    for action_id, status, percent in CountryProgress.objects.filter(action_id__in=action_ids).values_list(
        "action_id", "status", "percent_complete"
    ):
        by_action[action_id].append((status, percent))
    for action in Action.objects.filter(pk__in=action_ids).order_by("pk"):
        action.status, action.percent_complete = overall_progress(
            by_action[action.pk], default=(action.status, action.percent_complete)
        )
        action.version += 1  # safe: the rows are locked until the transaction ends
        action.save(update_fields=["status", "percent_complete", "version", "updated_at"])
