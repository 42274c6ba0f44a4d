"""What the hourly reminders run queues, and to whom (the periodic task `notifications.reminders`).

- each active focal point with an email: one digest a day, once it is DIGEST_HOUR in their country's
  time zone (unless they opted out), with their
  countries' actions due soon, their overdue actions, and their returned updates not yet corrected;
- each secretariat member with an email: one digest a day, once it is DIGEST_HOUR in TIME_ZONE (unless
  they opted out), with the updates
  waiting for review, oldest first, and the actions overdue by more than
  `REMINDER_OVERDUE_ESCALATION_DAYS`; and at most one notice an hour listing the updates submitted
  since the last notice they received.

Only actions of *active* roadmaps are listed: drafts are still being written, and completed or
archived roadmaps are closed. A digest with nothing to say is not sent.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts import roles
from accounts.models import Profile, profile_for
from countries.models import FocalPoint
from countries.time_zones import time_zone_for
from notifications.models import MessageKind, MessageStatus, SentMessage
from notifications.services import deliver, language_for
from roadmaps import cycle_reminders
from roadmaps.models import Action, ProgressUpdate, ReviewState, RoadmapStatus

# A digest lists at most this many rows per section, then says how many more there are.
SECTION_LIMIT = 50


@dataclass
class Section:
    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0


def _section(queryset: QuerySet) -> Section:
    items = list(queryset[: SECTION_LIMIT + 1])
    if len(items) <= SECTION_LIMIT:
        return Section(items=items, total=len(items))
    return Section(items=items[:SECTION_LIMIT], total=queryset.count())


@dataclass
class RunSummary:
    counts: Counter = field(default_factory=Counter)

    def add(self, messages) -> None:
        for message in messages:
            self.counts["skipped" if message is None else "queued"] += 1

    @property
    def queued(self) -> int:
        return self.counts["queued"]

    @property
    def skipped(self) -> int:
        return self.counts["skipped"]


def _open_actions() -> QuerySet:
    return Action.objects.filter(roadmap__status=RoadmapStatus.ACTIVE).select_related("roadmap")


# --- focal points -------------------------------------------------------------------------------


def focal_digest_content(*, country_ids, today: datetime.date) -> dict:
    country_ids = list(country_ids)
    awaiting_review = ProgressUpdate.objects.pending().filter(action=OuterRef("pk"), country_id__in=country_ids)
    actions = (
        _open_actions()
        .filter(id__in=Action.countries.through.objects.filter(country_id__in=country_ids).values("action_id"))
        .annotate(awaiting_review=Exists(awaiting_review))
        .order_by("due_date", "code", "id")
    )
    overdue = _section(actions.overdue(today))
    for action in overdue.items:
        action.days_overdue = (today - action.due_date).days
    due_soon = _section(actions.due_soon(today))
    for action in due_soon.items:
        action.days_left = (action.due_date - today).days

    corrected = ProgressUpdate.objects.filter(
        action=OuterRef("action"), country=OuterRef("country"), created_at__gt=OuterRef("created_at")
    )
    returned = _section(
        ProgressUpdate.objects.filter(
            country_id__in=country_ids,
            review_state=ReviewState.RETURNED,
            action__roadmap__status=RoadmapStatus.ACTIVE,
        )
        .exclude(Exists(corrected))
        .select_related("action__roadmap", "country", "reviewer")
        .order_by("reviewed_at", "id")
    )
    reminders = cycle_reminders.cycle_reminders(today, country_ids)
    return {"today": today, "due_soon": due_soon, "overdue": overdue, "returned": returned, "cycles": reminders}


def _profiles(users) -> dict[int, Profile]:
    profiles = {p.user_id: p for p in Profile.objects.filter(user__in=users)}
    for user in users:
        if user.pk not in profiles:
            profiles[user.pk] = profile_for(user)
    return profiles


def _focal_points() -> dict:
    """{user: ({country ids}, the code of the first of their countries)}; that country sets their time zone."""
    by_user = defaultdict(set)
    users, first_code = {}, {}
    rows = (
        FocalPoint.objects.active()
        .exclude(user__email="")
        .select_related("user", "country")
        .order_by("user_id", "country__code")
    )
    for focal_point in rows:
        users[focal_point.user_id] = focal_point.user
        by_user[focal_point.user_id].add(focal_point.country_id)
        first_code.setdefault(focal_point.user_id, focal_point.country.code)
    return {users[user_id]: (country_ids, first_code[user_id]) for user_id, country_ids in by_user.items()}


def digest_day(now: datetime.datetime, zone) -> datetime.date | None:
    """The local date of the digest due at `now` in `zone`: None before DIGEST_HOUR there.

    From DIGEST_HOUR on, the day's digest is due (a worker that was down at that hour catches up).
    """
    local = now.astimezone(zone)
    return local.date() if local.hour >= settings.DIGEST_HOUR else None


def send_focal_digests(*, now: datetime.datetime) -> list[SentMessage | None]:
    recipients = _focal_points()
    profiles = _profiles(list(recipients))
    messages = []
    for user, (country_ids, code) in recipients.items():
        profile = profiles[user.pk]
        today = digest_day(now, time_zone_for(code))
        if today is None or not profile.receive_digests:
            continue
        content = focal_digest_content(country_ids=country_ids, today=today)
        if not (content["due_soon"] or content["overdue"] or content["returned"] or content["cycles"]):
            continue
        messages.append(
            deliver(
                recipient=user,
                kind=MessageKind.FOCAL_DIGEST,
                dedupe_key=f"focal-digest:{user.pk}:{today.isoformat()}",
                context=content,
                language=profile.preferred_language,
                digest_date=today,
                updates=content["returned"].items,
                actions=content["due_soon"].items + content["overdue"].items,
            )
        )
    return messages


# --- the secretariat ----------------------------------------------------------------------------


def secretariat_recipients() -> list:
    User = get_user_model()
    candidates = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | Q(is_staff=True, groups__name=roles.SECRETARIAT_GROUP))
        .distinct()
        .order_by("pk")
    )
    return [user for user in candidates if roles.is_secretariat(user)]


def _pending_updates() -> QuerySet:
    return ProgressUpdate.objects.pending().select_related("action__roadmap", "country", "author")


def secretariat_digest_content(*, today: datetime.date) -> dict:
    escalation_days = settings.REMINDER_OVERDUE_ESCALATION_DAYS
    pending = _section(_pending_updates().order_by("created_at", "id"))
    for update in pending.items:
        update.days_waiting = (today - timezone.localdate(update.created_at)).days
    long_overdue = _section(
        _open_actions()
        .overdue(today - datetime.timedelta(days=escalation_days))
        .prefetch_related("countries")
        .order_by("due_date", "code", "id")
    )
    for action in long_overdue.items:
        action.days_overdue = (today - action.due_date).days
    return {
        "today": today,
        "pending": pending,
        "long_overdue": long_overdue,
        "escalation_days": escalation_days,
        "cycles_missing": cycle_reminders.missing_countries(today),
    }


def send_secretariat_digests(*, today: datetime.date, recipients: list) -> list[SentMessage | None]:
    content = secretariat_digest_content(today=today)
    if not (content["pending"] or content["long_overdue"] or content["cycles_missing"]):
        return []
    profiles = _profiles(recipients)
    return [
        deliver(
            recipient=user,
            kind=MessageKind.SECRETARIAT_DIGEST,
            dedupe_key=f"secretariat-digest:{user.pk}:{today.isoformat()}",
            context=content,
            language=profiles[user.pk].preferred_language,
            digest_date=today,
            updates=content["pending"].items,
            actions=content["long_overdue"].items,
        )
        for user in recipients
        if profiles[user.pk].receive_digests
    ]


def new_submissions_for(user) -> Section:
    """Updates still waiting for review that no notice sent to `user` has listed yet, oldest first."""
    listed = SentMessage.progress_updates.through.objects.filter(
        sentmessage__recipient=user,
        sentmessage__kind=MessageKind.SUBMISSIONS,
        sentmessage__status=MessageStatus.SENT,
        progressupdate_id=OuterRef("pk"),
    )
    return _section(_pending_updates().exclude(Exists(listed)).order_by("created_at", "id"))


def send_submission_notices(*, now: datetime.datetime, recipients: list) -> list[SentMessage | None]:
    """At most one notice an hour per secretariat member, listing what arrived since the last one.

    A notice, not a digest: the digest opt-out does not stop it.
    """
    hour = timezone.localtime(now).strftime("%Y-%m-%dT%H")
    messages = []
    for user in recipients:
        submissions = new_submissions_for(user)
        if not submissions:
            continue
        messages.append(
            deliver(
                recipient=user,
                kind=MessageKind.SUBMISSIONS,
                dedupe_key=f"submissions:{user.pk}:{hour}",
                context={"submissions": submissions},
                language=language_for(user),
                updates=submissions.items,
            )
        )
    return messages


# --- the hourly run -----------------------------------------------------------------------------


def send_reminders(*, now: datetime.datetime | None = None) -> RunSummary:
    """Everything the hourly run queues. Safe to repeat: what was queued or sent is not queued again.

    Review notices need nothing here: the queue retries them itself.
    """
    now = now or timezone.now()
    summary = RunSummary()
    summary.add(send_focal_digests(now=now))
    secretariat = secretariat_recipients()
    today = digest_day(now, timezone.get_default_timezone())
    if today is not None:
        summary.add(send_secretariat_digests(today=today, recipients=secretariat))
    summary.add(send_submission_notices(now=now, recipients=secretariat))
    return summary
