"""The statuses, states and kinds of the roadmaps app's models, with their labels (the values are
stored: renaming one needs a data migration)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partners")
    INTERNAL = "internal", _("Internal")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


_LABELS: dict[tuple, dict[str, str]] = {}  # {(choices, language): {value: label}}


def choice_labels(choices) -> dict[str, str]:
    """{value: label} of a TextChoices in the active language, translated once per language.

    Django's `get_<field>_display` translates every choice on each call (it builds the whole dict): a
    page of 50 actions with their countries' states spent 20 ms in it (issue 22). The tables rendered
    in Python (`regional.table_rows`) and the review rows read their labels here too."""
    key = (choices, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {value: str(label) for value, label in choices.choices}
    return labels


def status_display(instance) -> str:
    """`get_status_display` of a model whose `status` is an ActionStatus (assigned in its class body:
    Django keeps a method the class defines itself); a value outside the choices shows as stored."""
    return choice_labels(ActionStatus).get(instance.status, instance.status)


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class CycleState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class IndicatorUnit(models.TextChoices):
    PEOPLE = "people", _("People")
    PERCENT = "percent", _("Percent")
    NUMBER = "number", _("Number")
    CURRENCY = "currency", _("Currency")
    YES_NO = "yes_no", _("Yes / no")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    MAINTAIN = "maintain", _("Maintain")


class CycleCombine(models.TextChoices):
    SUM = "sum", _("Sum of the cycles")
    LATEST = "latest", _("Latest cycle")
    MAXIMUM = "maximum", _("Maximum of the cycles")


class CountryCombine(models.TextChoices):
    SUM = "sum", _("Sum of the countries")
    MEAN = "mean", _("Mean of the countries")
