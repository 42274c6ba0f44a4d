"""The `indicator_values` of a progress-update POST: each item's indicator found among the action's, and
its value checked by the model's rules, so a refusal names the item and field (`indicator_values[0].value`)
before anything is written. The service checks again inside its transaction."""

from django.utils.translation import gettext as _
from rest_framework import exceptions

from roadmaps.models import indicator_value_errors


def resolve_indicator_values(action, items: list[dict]) -> list[dict]:
    if not items:
        return []
    own = list(action.indicators.all())
    by_code = {i.code.upper(): i for i in own} | {str(i.pk): i for i in own}
    # Keyed by the item's position, as DRF itself reports a list item's errors: {"0": {"value": [...]}}.
    errors, resolved = {}, []
    for position, item in enumerate(items):
        indicator = by_code.get(str(item["indicator"]).strip().upper())
        if indicator is None:
            message = _("Action %(code)s has no indicator “%(value)s”.") % {
                "code": action.code,
                "value": item["indicator"],
            }
            errors[str(position)] = {"indicator": [message]}
            continue
        item_errors = indicator_value_errors(indicator, item["value"], item.get("disaggregation"))
        if item_errors:
            errors[str(position)] = item_errors
        resolved.append({**item, "indicator": indicator})
    if errors:
        raise exceptions.ValidationError({"indicator_values": errors})
    return resolved
