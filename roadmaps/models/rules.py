"""The rules on an action's status, dates and percent, each defined once: what overdue and due soon
mean (ORM, Python and SQL twins, side by side), the closed statuses, completed means 100 %, the percent's
range, and the dates a report may carry. The models' constraints and every reader call these."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roadmaps.models.choices import ActionStatus

PERCENT_RANGE = Q(percent_complete__gte=0, percent_complete__lte=100)
PERCENT_RANGE_MESSAGE = _("Percent complete must be between 0 and 100.")


CLOSED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.CANCELLED)
COMPLETED_MEANS_100 = ~Q(status=ActionStatus.COMPLETED) | Q(percent_complete=100)
COMPLETED_MEANS_100_MESSAGE = _("Status “completed” means 100 %%: set the percent to 100 or choose another status.")

# The GCM was adopted on 10 December 2018 (A/RES/73/195): no report on it can be dated earlier.
GCM_ADOPTION = datetime.date(2018, 12, 10)


def progress_constraints(prefix: str, *, percent_message=PERCENT_RANGE_MESSAGE) -> list[models.CheckConstraint]:
    """The checks of a status and a percent (an action's, an update's, a country's): the percent is
    0–100 and "completed" means 100 %. Named `<prefix>_percent_0_100` and `<prefix>_completed_is_100`."""
    return [
        models.CheckConstraint(
            condition=PERCENT_RANGE, name=f"{prefix}_percent_0_100", violation_error_message=percent_message
        ),
        models.CheckConstraint(
            condition=COMPLETED_MEANS_100,
            name=f"{prefix}_completed_is_100",
            violation_error_message=COMPLETED_MEANS_100_MESSAGE,
        ),
    ]


# --- Overdue and due soon: the one definition ---------------------------------------------------
#
# *Overdue* = the due date has passed and the status is neither completed nor cancelled. The status is
# the action's overall one, or one responsible country's (`CountryProgress`), so the Q factory takes
# the paths of both fields. Python (`is_overdue`) and SQL (`overdue_sql`) twins sit here, next to it,
# and tests/roadmaps/test_rules.py checks that the three agree.


def overdue_q(today: datetime.date | None = None, *, due_date: str = "due_date", status: str = "status") -> Q:
    today = today or timezone.localdate()
    return Q(**{f"{due_date}__isnull": False, f"{due_date}__lt": today}) & ~Q(**{f"{status}__in": CLOSED_STATUSES})


def due_soon_q(
    today: datetime.date | None = None, *, days: int | None = None, due_date: str = "due_date", status: str = "status"
) -> Q:
    today = today or timezone.localdate()
    days = settings.DUE_SOON_DAYS if days is None else days
    window = {f"{due_date}__gte": today, f"{due_date}__lte": today + datetime.timedelta(days=days)}
    return Q(**window) & ~Q(**{f"{status}__in": CLOSED_STATUSES})


def is_overdue(due_date: datetime.date | None, status: str, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(due_date and due_date < today and status not in CLOSED_STATUSES)


def is_due_soon(due_date: datetime.date | None, status: str, today: datetime.date | None = None) -> bool:
    if not due_date or status in CLOSED_STATUSES:
        return False
    today = today or timezone.localdate()
    return today <= due_date <= today + datetime.timedelta(days=settings.DUE_SOON_DAYS)


def overdue_sql(due_date: str, status: str) -> tuple[str, tuple]:
    """The SQL twin of `overdue_q` over two column expressions, with its parameters."""
    closed = tuple(str(s) for s in CLOSED_STATUSES)
    return f"({due_date} IS NOT NULL AND {due_date} < %s AND {status} NOT IN (%s, %s))", (
        timezone.localdate(),
        *closed,
    )


def due_soon_sql(due_date: str, status: str) -> tuple[str, tuple]:
    """The SQL twin of `due_soon_q` over two column expressions, with its parameters."""
    today = timezone.localdate()
    closed = tuple(str(s) for s in CLOSED_STATUSES)
    return f"({due_date} >= %s AND {due_date} <= %s AND {status} NOT IN (%s, %s))", (
        today,
        today + datetime.timedelta(days=settings.DUE_SOON_DAYS),
        *closed,
    )


def reporter_today() -> datetime.date:
    """The latest "today" a reporter can have: the date at UTC−2, the easternmost offset of the
    Americas (a country's own time zone is not recorded), or the server's date if later."""
    return max(timezone.localdate(), (timezone.now() - datetime.timedelta(hours=2)).date())


# --- A roadmap's countries and objectives, an action's objectives ---------------------------------


def involving_q(country_ids) -> Q:
    """A roadmap involves a country that leads it, takes part in it or is responsible for one of its
    actions (the one definition). `country_ids`: ids, or a queryset of them."""
    from roadmaps.models.core import Action, Roadmap  # (the models import these rules)

    return (
        Q(lead_country_id__in=country_ids)
        | Q(id__in=Roadmap.countries.through.objects.filter(country_id__in=country_ids).values("roadmap_id"))
        | Q(id__in=Action.countries.through.objects.filter(country_id__in=country_ids).values("action__roadmap_id"))
    )


def serving_q(objective_ids) -> Q:
    """A roadmap serves an objective it names, or one an action of it names (an action without its own
    objectives serves its roadmap's, so this is the union of both). `objective_ids`: ids or a queryset."""
    from roadmaps.models.core import Action, Roadmap

    return Q(id__in=Roadmap.objectives.through.objects.filter(objective_id__in=objective_ids).values("roadmap_id")) | Q(
        id__in=Action.objectives.through.objects.filter(objective_id__in=objective_ids).values("action__roadmap_id")
    )


def objective_numbers_of_action(action_ref: str = "pk", roadmap_ref: str = "roadmap_id"):
    """The one definition of an action's GCM objectives, as a sorted array of numbers: its own, or its
    roadmap's when it has none (PRODUCT.md). `action_ref`/`roadmap_ref` name the outer columns."""
    from django.contrib.postgres.expressions import ArraySubquery

    from roadmaps.models.core import Action, Roadmap

    own = Action.objectives.through.objects.filter(action_id=OuterRef(action_ref))
    by_roadmap = Roadmap.objectives.through.objects.filter(roadmap_id=OuterRef(roadmap_ref))
    return Case(
        When(Exists(own), then=ArraySubquery(own.order_by("objective__number").values("objective__number"))),
        default=ArraySubquery(by_roadmap.order_by("objective__number").values("objective__number")),
    )
