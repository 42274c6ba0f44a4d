import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import profile_for
from notifications.digests import send_reminders
from tests.notifications.backends import RefusingEmailBackend
from tests.queue import forget_jobs, run_queue

ZONE = ZoneInfo("America/El_Salvador")
# A Monday morning in San Salvador: the reference "today" of these tests.
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ZONE)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _empty_queue(transactional_db):
    """Every test here commits its data, so that a worker (another connection) sees it."""
    forget_jobs()
    yield
    forget_jobs()


def remind(**kwargs):
    """The hourly run (`notifications.reminders`), then a worker sends what it queued."""
    summary = send_reminders(**kwargs)
    run_queue()
    return summary


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.SITE_URL = "https://gcm.example.org"
    settings.DUE_SOON_DAYS = 14
    settings.REMINDER_OVERDUE_ESCALATION_DAYS = 30


@pytest.fixture
def clock():
    """Frozen at NOW; `clock.move_to(...)` to go to another day or hour."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def refusing_mail(settings):
    """The mail server refuses the addresses put in the returned set."""
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingEmailBackend"
    RefusingEmailBackend.refused = set()
    yield RefusingEmailBackend.refused
    RefusingEmailBackend.refused = set()


def prefer(user, language: str, *, digests: bool = True):
    profile = profile_for(user)
    profile.preferred_language = language
    profile.receive_digests = digests
    profile.save()
    return user


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)
