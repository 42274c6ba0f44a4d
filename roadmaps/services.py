"""Every write a user can cause on roadmaps' data. The web forms, the API and the admin call these.

Each function is one transaction, locks the rows it changes (`select_for_update`), checks who may do
it, and raises `PermissionDenied`, `ValidationError`, `ConflictError` or `InvalidStateError`.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core import queue
from core.errors import ConflictError, InvalidStateError
from countries.models import Country
from roadmaps.models import (
    Action,
    ActionStatus,
    CountryProgress,
    ProgressUpdate,
    ReportingCycle,
    ReviewState,
    overall_progress,
)


def reporting_countries(*, user, action: Action) -> list[Country]:
    """The countries `user` may report for on `action`: theirs, and responsible for the action."""
    country_ids = roles.focal_country_ids(user)
    if not country_ids:
        return []
    return list(action.countries.filter(id__in=country_ids).order_by("name_en"))


def _check_may_report(*, user, action: Action, country: Country) -> None:
    if country.id not in roles.focal_country_ids(user):
        raise PermissionDenied(_("You are not a focal point for %(country)s.") % {"country": country.name})
    _check_responsible(action=action, country=country)


def _check_responsible(*, action: Action, country: Country) -> None:
    if not action.countries.filter(id=country.id).exists():
        raise PermissionDenied(
            _("%(country)s is not responsible for action %(code)s.") % {"country": country.name, "code": action.code}
        )


# What a report says, as the forms name it (each is a keyword of `progress_update_submit`).
REPORT_FIELDS = ("status", "percent_complete", "narrative", "challenges", "next_steps", "evidence_url")


def report_fields(data: dict) -> dict:
    """The report's fields (and its reporting date) among a form's cleaned data."""
    return {name: data[name] for name in (*REPORT_FIELDS, "reporting_date")}


@transaction.atomic
def progress_update_submit(
    *,
    action: Action,
    country: Country,
    author,
    status: str,
    percent_complete: int,
    narrative: str,
    challenges: str = "",
    next_steps: str = "",
    evidence_url: str = "",
    evidence_file=None,
    reporting_date: datetime.date | None = None,
    expected_version: int | None = None,
    cycle: ReportingCycle | None = None,
    indicator_values: list[dict] | None = None,
    on_behalf: bool = False,
) -> ProgressUpdate:
    """A focal point reports on an action for one of their countries. Saved as *submitted*.

    `on_behalf`: the secretariat enters the report for a responsible country (from a letter, an
    e-mail); it is marked as such and reviewed like any other.

    `expected_version` is the action's version when the reporter opened the form; if the action
    changed since (another update, a review), ConflictError carries the current action.
    `indicator_values`: [{indicator (an Indicator of the action), value, disaggregation, note,
    evidence_url}], stored with the update in the same transaction (roadmaps.indicator_services).
    """
    if on_behalf:
        _check_reviewer(author)
        _check_responsible(action=action, country=country)
    else:
        _check_may_report(user=author, action=action, country=country)
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _("This action changed since you opened the form. Check the current values and submit again."),
            current=locked,
        )
    reporting_date = reporting_date or timezone.localdate()
    if cycle is None:
        cycle = ReportingCycle.objects.open().covering(reporting_date).order_by("deadline", "key").first()
    elif not ReportingCycle.objects.open().filter(pk=cycle.pk).exists():  # as stored now, not as passed
        raise ValidationError({"cycle": _("The reporting cycle %(key)s is not open.") % {"key": cycle.key}})
    update = ProgressUpdate(
        action=locked,
        cycle=cycle,
        country=country,
        author=author,
        status=status,
        percent_complete=percent_complete,
        narrative=narrative,
        challenges=challenges,
        next_steps=next_steps,
        evidence_url=evidence_url,
        reporting_date=reporting_date,
        review_state=ReviewState.SUBMITTED,
        on_behalf=on_behalf,
    )
    if evidence_file:
        update.evidence_file = evidence_file
    update.full_clean()
    update.save()
    if indicator_values:
        from roadmaps.indicator_services import indicator_values_record

        indicator_values_record(update=update, items=indicator_values)
    # A new pending report is a change to the action's reporting: later forms opened before it must
    # not silently add to it.
    Action.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=timezone.now())
    return update


def _lock_submitted(update: ProgressUpdate) -> ProgressUpdate:
    locked = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if locked.review_state != ReviewState.SUBMITTED:
        raise InvalidStateError(
            _("This update was already %(state)s; only submitted updates can be reviewed.")
            % {"state": locked.get_review_state_display().lower()}
        )
    return locked


def _check_reviewer(reviewer) -> None:
    if not roles.is_secretariat(reviewer):
        raise PermissionDenied(_("Only the secretariat reviews progress updates."))


def country_progress_refresh(*, action_id: int, country_id: int) -> CountryProgress | None:
    """Set one country's state on an action from its latest approved update (by reporting date, then
    approval time). A country never approved keeps its baseline. Never touches another country's row."""
    state = CountryProgress.objects.select_for_update().filter(action_id=action_id, country_id=country_id).first()
    if state is None:  # no longer responsible for the action (the trigger removed its row): nothing to set
        return None
    latest = (
        ProgressUpdate.objects.approved()
        .filter(action_id=action_id, country_id=country_id)
        .order_by("-reporting_date", "-reviewed_at", "-id")
        .first()
    )
    if latest is not None:
        state.status, state.percent_complete = latest.status, latest.percent_complete
        state.update, state.reporting_date = latest, latest.reporting_date
        state.save()
    return state


def action_progress_recompute(action_id: int, *, always_bump: bool = True) -> Action:
    """The action's overall status and percent from its countries' (`overall_progress`, the one rule).

    The version grows (a form opened before must not overwrite) unless `always_bump` is False and
    nothing changed."""
    action = Action.objects.select_for_update().get(pk=action_id)
    states = list(CountryProgress.objects.filter(action_id=action_id).values_list("status", "percent_complete"))
    overall = overall_progress(states, default=(action.status, action.percent_complete))
    if not always_bump and overall == (action.status, action.percent_complete):
        return action
    action.status, action.percent_complete = overall
    action.version += 1  # safe: the row is locked until the transaction ends
    action.save(update_fields=["status", "percent_complete", "version", "updated_at"])
    return action


@transaction.atomic
def action_progress_set_baseline(*, action: Action, status: str, percent_complete: int) -> Action:
    """The secretariat's values for an action: they become the state of every responsible country that
    has no approved report yet (a country's own approved report always wins), then the overall follows."""
    Action.objects.select_for_update().filter(pk=action.pk).first()
    CountryProgress.objects.filter(action_id=action.pk, update__isnull=True).update(
        status=status, percent_complete=percent_complete, updated_at=timezone.now()
    )
    return action_progress_recompute(action.pk, always_bump=False)


def approval_preview(update: ProgressUpdate) -> dict:
    """What approving `update` would do, by the same rules as the approval, without writing anything:
    each country's and the action's overall (status label, percent), now and after."""
    return approval_previews([update])[update.pk]


def approval_previews(updates: list[ProgressUpdate]) -> dict[int, dict]:
    """{update id: approval_preview} for many updates, with one query for all their actions' states."""
    states_by_action: dict[int, list[CountryProgress]] = {}
    rows = CountryProgress.objects.filter(action_id__in={u.action_id for u in updates}).select_related(
        "country", "update"
    )
    for state in rows:
        states_by_action.setdefault(state.action_id, []).append(state)
    return {u.pk: _preview(u, states_by_action.get(u.action_id, [])) for u in updates}


def _preview(update: ProgressUpdate, states: list[CountryProgress]) -> dict:
    labels = dict(ActionStatus.choices)
    after = {s.country_id: (s.status, s.percent_complete) for s in states}
    own = next((s for s in states if s.country_id == update.country_id), None)
    # The update becomes its country's state if it is that country's latest approved one (by date).
    if own is not None and (own.update is None or update.reporting_date >= own.update.reporting_date):
        after[update.country_id] = (update.status, update.percent_complete)
    action = update.action
    overall = overall_progress(list(after.values()), default=(action.status, action.percent_complete))
    return {
        "countries": [
            {
                "country": s.country,
                "before": (labels[s.status], s.percent_complete),
                "after": (labels[after[s.country_id][0]], after[s.country_id][1]),
                "changes": after[s.country_id] != (s.status, s.percent_complete),
            }
            for s in sorted(states, key=lambda s: s.country.code)
        ],
        "own": (
            {
                "before": (labels[own.status], own.percent_complete),
                "after": (labels[after[own.country_id][0]], after[own.country_id][1]),
            }
            if own is not None
            else None
        ),
        "overall_before": (labels[action.status], action.percent_complete),
        "overall_after": (labels[overall[0]], overall[1]),
    }


def _notify_author_after_commit(update_id: int) -> None:
    """Queue the notice to the author once the decision commits (a rolled-back review queues nothing).

    The request only writes the job; a worker renders and sends the notice (notifications.tasks), so
    a slow or dead mail server never slows or fails the review itself.
    """
    queue.defer_after_commit("notifications.review_notice", update_id=update_id)


def _decide(update: ProgressUpdate, reviewer, state: str, comment: str) -> ProgressUpdate:
    """The reviewer's decision on a submitted update, saved (the callers add what follows from it)."""
    _check_reviewer(reviewer)
    # Lock the action first, then the update: the same order as submit, so no deadlock.
    Action.objects.select_for_update().filter(pk=update.action_id).first()
    locked = _lock_submitted(update)
    locked.review_state = state
    locked.reviewer = reviewer
    locked.reviewed_at = timezone.now()
    locked.review_comment = comment
    locked.save()
    return locked


@transaction.atomic
def progress_update_approve(*, update: ProgressUpdate, reviewer, comment: str = "") -> ProgressUpdate:
    """Approve a submitted update: its country's state becomes that country's latest approved update,
    and the action's overall state follows from its countries' (roadmaps.models.progress)."""
    locked = _decide(update, reviewer, ReviewState.APPROVED, comment)
    # Only this country's state moves; the others' rows are not even written.
    country_progress_refresh(action_id=locked.action_id, country_id=locked.country_id)
    action_progress_recompute(locked.action_id)
    _notify_author_after_commit(locked.pk)
    return locked


@transaction.atomic
def progress_update_return(*, update: ProgressUpdate, reviewer, comment: str) -> ProgressUpdate:
    """Send an update back to its focal point; the comment says why and is kept."""
    comment = (comment or "").strip()
    if not comment:
        _check_reviewer(reviewer)
        raise ValidationError({"review_comment": _("Say why the update is returned: the focal point will read it.")})
    locked = _decide(update, reviewer, ReviewState.RETURNED, comment)
    Action.objects.filter(pk=locked.action_id).update(version=F("version") + 1, updated_at=timezone.now())
    _notify_author_after_commit(locked.pk)
    return locked


@transaction.atomic
def action_save(*, action: Action, user, expected_version: int | None = None) -> Action:
    """Save an edited action unless someone else saved it since `expected_version` was read."""
    if not roles.is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat edits actions."))
    if action.pk:
        current = Action.objects.select_for_update().get(pk=action.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(
                _("Someone else saved this action since you opened it. Review their changes and try again."),
                current=current,
            )
        action.version = current.version + 1
    action.full_clean()
    action.save()
    return action
