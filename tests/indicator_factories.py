"""Factories for reporting cycles and indicators (the shared world of tests/factories.py, extended)."""

import datetime
from decimal import Decimal

import factory

from roadmaps.models import CycleState, Indicator, ReportingCycle
from tests.factories import ActionFactory


class ReportingCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingCycle
        django_get_or_create = ("key",)
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"cycle-{n}")
    title_en = factory.LazyAttribute(lambda c: f"Cycle {c.key}")
    title_es = factory.LazyAttribute(lambda c: f"Ciclo {c.key}")
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2025, 12, 31)
    opens_on = datetime.date(2025, 1, 1)
    deadline = datetime.date(2027, 1, 31)
    state = CycleState.OPEN


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    code = factory.Sequence(lambda n: f"I{n}")
    name_en = factory.Sequence(lambda n: f"Officials trained {n}")
    name_es = factory.Sequence(lambda n: f"Funcionarios capacitados {n}")
    unit = "people"
    baseline_value = Decimal(0)
    target_value = Decimal(500)
