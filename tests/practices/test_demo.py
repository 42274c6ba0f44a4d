"""The demo practices: created through the services on top of seed_demo, idempotent."""

import pytest
from django.core.management import call_command

from practices.models import GoodPractice, PracticeStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_practices_is_idempotent(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", password="demo-pass-1234", stdout=None)

    call_command("seed_demo_practices")
    call_command("seed_demo_practices")

    states = sorted(GoodPractice.objects.values_list("status", flat=True))
    assert states == sorted([PracticeStatus.PUBLISHED] * 3 + [PracticeStatus.SUBMITTED, PracticeStatus.DRAFT])
    one_stop = GoodPractice.objects.get(title_en="One-stop reception desk for returned nationals at the airport")
    assert [a.code for a in one_stop.actions.all()] == ["A1"]
    assert one_stop.history.count() >= 3


def test_seed_demo_practices_without_demo_accounts_creates_nothing(capsys):
    call_command("seed_demo_practices")
    assert GoodPractice.objects.count() == 0
    assert "run seed_demo first" in capsys.readouterr().out
