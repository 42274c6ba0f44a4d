"""The change log behind `/api/v1/changes/`: one row per (transaction, changed row).

Written only by PostgreSQL triggers (migration 0001, SQL in `changefeed.sql`), so the admin, the
services, imports and raw SQL are all recorded. The table also has an `xid` column (`xid8`, the
writing transaction's id: `pg_current_xact_id()`), which Django has no field type for; it is read
with SQL only (`changefeed.feed`).
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    id = models.BigAutoField(primary_key=True)
    #: the API list the row belongs to: "actions", "progress-updates", …
    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))
    #: what `?country=` and `?roadmap=` match: the row's countries and roadmaps when it changed
    #: (before and after, so a row that left a country or a roadmap is reported to both).
    country_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    roadmap_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        # feed.compact finds a row's earlier entries by it
        indexes = [models.Index(fields=["kind", "object_id"], name="changefeed_change_row")]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class FeedClock(models.Model):
    """The last day the feed has reported date-derived answers for (an action's `is_overdue` turns
    true the day after its due date with no row changing): one row, advanced by `feed.mark_day`."""

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("feed clock")
        verbose_name_plural = _("feed clocks")

    def __str__(self):
        return str(self.day)
