"""Writes of indicator values: stored with their progress update, in its transaction (services.py)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from roadmaps.models import IndicatorValue, ProgressUpdate
from roadmaps.models.disaggregation import plain_disaggregation


def indicator_values_record(*, update: ProgressUpdate, items: list[dict]) -> list[IndicatorValue]:
    """Store the values reported with `update` (already saved, inside the submit's transaction). Any
    refusal raises ValidationError naming the indicator and the field; the caller's transaction then
    stores nothing, not even the update."""
    if update.cycle_id is None:
        raise ValidationError(
            {"indicator_values": _("Indicator values are reported within a reporting cycle, and none is open.")}
        )
    own = {i.pk: i for i in update.action.indicators.all()}
    stored, seen = [], set()
    for item in items:
        indicator = item["indicator"]
        if indicator.pk not in own:
            raise ValidationError(
                {"indicator_values": _("Indicator %(code)s is not one of this action's.") % {"code": indicator.code}}
            )
        if indicator.pk in seen:
            raise ValidationError(
                {"indicator_values": _("Indicator %(code)s is given twice.") % {"code": indicator.code}}
            )
        seen.add(indicator.pk)
        value = IndicatorValue(
            indicator=indicator,
            country_id=update.country_id,
            cycle_id=update.cycle_id,
            update=update,
            value=item["value"],
            disaggregation=plain_disaggregation(item.get("disaggregation") or {}),
            note=item.get("note", ""),
            evidence_url=item.get("evidence_url", ""),
        )
        try:
            value.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {
                    "indicator_values": [
                        f"{indicator.code} · {field}: {message}"
                        for field, messages in error.message_dict.items()
                        for message in messages
                    ]
                }
            ) from None
        value.save()
        stored.append(value)
    return stored
