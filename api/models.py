"""The API's rate-limit counters on PostgreSQL (when no Redis is configured): one row per caller and
scope, counted by one statement per request (`api.throttling`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThrottleCounter(models.Model):
    """Requests counted under `key` since the window began; the window ends at `expires_at`. An
    expired row is restarted by the next request, and deleted by the periodic task `api.prune_throttles`."""

    key = models.CharField(_("key"), max_length=200, primary_key=True)
    expires_at = models.DateTimeField(_("window ends"), db_index=True)
    count = models.PositiveIntegerField(_("requests"))

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self):
        return f"{self.key}: {self.count}"
