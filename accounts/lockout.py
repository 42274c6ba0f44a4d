"""Sign-in abuse: what a locked-out visitor sees, and the growing delay per user name.

django-axes locks a (user name, client address) pair after AXES_FAILURE_LIMIT failures (settings).
That alone would let a guesser spread over many addresses try a user name without end, so each user
name also meets a delay that doubles with every failure counted for it from *all* addresses past the
limit (2 s, 4 s, 8 s … at most MAX_USERNAME_DELAY): no one is locked out for long by a stranger, and a
guesser gets a few hundred tries a day at most. The failures are axes' own rows (AccessAttempt), so a
success clears only its own pair's count.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

MAX_USERNAME_DELAY = datetime.timedelta(minutes=5)


def locked_out(request, response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def username_delay(failures: int) -> datetime.timedelta:
    """How long a user name waits after its latest failure, given its failures from every address."""
    over = failures - settings.AXES_FAILURE_LIMIT
    if over < 0:
        return datetime.timedelta(0)
    return min(datetime.timedelta(seconds=2 ** min(over + 1, 20)), MAX_USERNAME_DELAY)


def seconds_to_wait(username: str) -> float:
    from axes.models import AccessAttempt

    totals = AccessAttempt.objects.filter(username=username).aggregate(
        failures=Sum("failures_since_start"), latest=Max("attempt_time")
    )
    if not totals["failures"]:
        return 0.0
    until = totals["latest"] + username_delay(totals["failures"])
    return max(0.0, (until - timezone.now()).total_seconds())


class UsernameDelayBackend:
    """Refuses (as a failed sign-in) a user name still inside its delay, before any password check.

    Only `authenticate`: without `get_user` it is never the backend a session is bound to."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.AXES_ENABLED and username and seconds_to_wait(username) > 0:
            raise PermissionDenied  # authenticate() stops here and reports a failed sign-in
        return None
