"""Reminders follow the reporting cycle: 7 days and 1 day before its deadline and the day after, inside
the digest of each expected country's focal points whose reports are missing — once — and none to
those who reported; the secretariat's digest lists the missing countries."""

import datetime

import pytest
from django.core import mail

from notifications.models import MessageKind, SentMessage
from roadmaps import cycles, services
from roadmaps.models import ActionStatus, CycleState, ReportingCycle
from tests.factories import ActionFactory, RoadmapFactory
from tests.notifications.conftest import NOW, ZONE, prefer, remind

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = datetime.date(2026, 3, 10)


def test_a_week_of_reminder_runs_around_a_deadline(clock, focal_sv, focal_gt, el_salvador, guatemala, secretariat_user):
    prefer(focal_sv, "en")
    prefer(focal_gt, "en")
    prefer(secretariat_user, "en")
    roadmap = RoadmapFactory(start_date=datetime.date(2025, 1, 1))
    action = ActionFactory(
        roadmap=roadmap,
        code="C1",
        title_en="Joint labour study",
        start_date=datetime.date(2025, 1, 1),
        due_date=datetime.date(2027, 12, 31),  # far away: no other reason for a digest
        countries=[el_salvador, guatemala],
    )
    cycle = ReportingCycle.objects.create(
        key="annual-2025",
        title_en="Annual report 2025",
        title_es="Informe anual 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        opens_on=datetime.date(2026, 1, 15),
        deadline=DEADLINE,
        state=CycleState.PLANNED,
    )
    cycles.cycle_open(cycle=cycle, user=secretariat_user)
    services.progress_update_submit(
        action=action,
        country=guatemala,
        author=focal_gt,
        status=ActionStatus.ON_TRACK,
        percent_complete=30,
        narrative="Study under way.",
        reporting_date=datetime.date(2025, 12, 31),
        cycle=cycle,
    )

    reminded, listed = [], []
    line = "Cycle annual-2025 (deadline 10 Mar 2026): countries with missing reports: SV"
    for offset in range(-9, 3):
        day = DEADLINE + datetime.timedelta(days=offset)
        clock.move_to(datetime.datetime.combine(day, NOW.timetz()).replace(tzinfo=ZONE))
        mail.outbox.clear()
        remind()
        remind()  # a second run the same day sends nothing more
        for message in mail.outbox:
            if "Reporting cycle Annual report 2025" in message.body:
                reminded.append((message.to[0], offset))
            if message.to == [secretariat_user.email] and line in message.body:
                listed.append(offset)

    assert reminded == [(focal_sv.email, -7), (focal_sv.email, -1), (focal_sv.email, 1)]
    assert not SentMessage.objects.filter(recipient=focal_gt, kind=MessageKind.FOCAL_DIGEST).exists()
    assert listed == [-7, -1, 1]  # the secretariat's digest (sent daily here: Guatemala's report awaits review)
