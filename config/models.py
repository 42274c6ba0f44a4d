"""Abstract bases shared by the apps' models."""

from django.db import models
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
