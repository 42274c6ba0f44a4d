"""What the apps' models share: abstract bases, an optional foreign key, the date-order check; and the
data-change counter behind the figures cache."""

import functools
import operator

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class ReferenceDataModel(models.Model):
    """A row that comes from the official reference file (`gcm/reference/gcm_reference.yaml`).

    `reference_values` keeps the values as last loaded from the file. When the secretariat corrects
    a row in the admin its values no longer equal that snapshot, and `load_reference` leaves it alone.
    """

    is_verified = models.BooleanField(
        _("verified against a source"),
        default=True,
        help_text=_("Unchecked when the reference file marks a value as not confirmed from a source."),
    )
    reference_note = models.TextField(_("reference note"), blank=True)
    reference_values = models.JSONField(_("values as loaded from the reference file"), default=dict, blank=True)

    class Meta:
        abstract = True


def optional_key(to, *, on_delete=models.PROTECT, **options) -> models.ForeignKey:
    """A foreign key that may be empty (a reviewer not known yet, a forum not recorded): null in the
    database and blank in forms; it protects what it points to unless `on_delete` says otherwise."""
    return models.ForeignKey(to, on_delete=on_delete, null=True, blank=True, **options)


def not_before(later: str, earlier: str, *, name: str, optional=(), message=None) -> models.CheckConstraint:
    """The check that date `later` is not before date `earlier` (an end and its start, a deadline and its
    opening); each field named in `optional` may instead be empty, in that order."""
    alternatives = [Q(**{f"{field}__isnull": True}) for field in optional]
    condition = functools.reduce(operator.or_, [*alternatives, Q(**{f"{later}__gte": F(earlier)})])
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


class DataGeneration(models.Model):
    """How many transactions have changed roadmap data: the key of cached figures (core.figures_cache).

    Written only by a PostgreSQL trigger (migrations roadmaps/0004 and 0012), once per writing
    transaction, in a row of the connection's own (`backend_pid`), so writers never wait for each other.
    The sum of `counter` grows exactly when such a transaction commits, as every reader sees it. The
    rows of closed connections are folded into row 0 every ten minutes by the periodic task
    `core.compact_data_generation` (`figures_cache.compact`), never by a reader.
    """

    backend_pid = models.IntegerField(primary_key=True)
    counter = models.BigIntegerField(default=0)
    # Raised only by the changes that can change a figure or a cached page (core/migrations/0002).
    figures_counter = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("data generation")
        verbose_name_plural = _("data generations")

    def __str__(self):
        return f"{self.backend_pid}: {self.counter}"
