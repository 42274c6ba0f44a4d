from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from roadmaps.models import Action


class NotRelatedPair(TimeStampedModel):
    """The secretariat's judgement that two actions the collaboration finder paired are not related.

    Stored once per pair, the lower id first, so (a, b) and (b, a) are the same row.
    """

    action_a = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+", verbose_name=_("first action"))
    action_b = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+", verbose_name=_("second action"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        verbose_name = _("pair marked as not related")
        verbose_name_plural = _("pairs marked as not related")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["action_a", "action_b"], name="not_related_pair_unique"),
            models.CheckConstraint(condition=Q(action_a__lt=F("action_b")), name="not_related_pair_ordered"),
        ]

    def __str__(self):
        return f"{self.action_a_id} ≠ {self.action_b_id}"

    @classmethod
    def ordered(cls, first_id: int, second_id: int) -> tuple[int, int]:
        return (first_id, second_id) if first_id < second_id else (second_id, first_id)
