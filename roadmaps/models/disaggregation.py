"""Disaggregated indicator values: the dimensions (sex, age group, migrant status), their fixed
categories, and the one check of a value given by category."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE = "age", _("Age group")
    MIGRANT_STATUS = "migrant_status", _("Migrant status")


# The fixed categories of each disaggregation dimension (the keys reported in the API and the form).
CATEGORIES = {
    Dimension.SEX: {
        "female": _("Female"),
        "male": _("Male"),
        "other": _("Other or not stated"),
    },
    Dimension.AGE: {
        "0_17": _("0–17 years"),
        "18_59": _("18–59 years"),
        "60_plus": _("60 years or more"),
    },
    Dimension.MIGRANT_STATUS: {
        "migrant": _("Migrant"),
        "returnee": _("Returned migrant"),
        "refugee": _("Refugee or asylum seeker"),
        "host": _("Host community"),
    },
}


def plain_disaggregation(disaggregation):
    """Decimals (from a serializer or a form) as strings, so the JSON field accepts them before the checks."""
    if not isinstance(disaggregation, dict):
        return disaggregation
    return {
        d: (
            {c: str(v) if isinstance(v, Decimal) else v for c, v in parts.items()} if isinstance(parts, dict) else parts
        )
        for d, parts in disaggregation.items()
    }


def disaggregation_error(indicator, total: Decimal, disaggregation) -> str | None:
    """Why `disaggregation` is not valid for `indicator` and `total`, or None. Each given dimension must be
    one of the indicator's, with only its fixed categories, values numbers ≥ 0 that add up to the total."""
    if not disaggregation:
        return None
    if not isinstance(disaggregation, dict):
        return str(_("Give the disaggregation as {dimension: {category: value}}."))
    for dimension, parts in disaggregation.items():
        if dimension not in (indicator.dimensions or []):
            return str(
                _("“%(dimension)s” is not a disaggregation of this indicator (it has: %(allowed)s).")
                % {"dimension": dimension, "allowed": ", ".join(indicator.dimensions) or "—"}
            )
        if not isinstance(parts, dict):
            return str(_("Give the values of %(dimension)s as {category: value}.") % {"dimension": dimension})
        allowed = CATEGORIES[dimension]
        unknown = [c for c in parts if c not in allowed]
        if unknown:
            return str(
                _("Unknown category of %(dimension)s: %(names)s (allowed: %(allowed)s).")
                % {"dimension": dimension, "names": ", ".join(unknown), "allowed": ", ".join(allowed)}
            )
        try:
            numbers = [Decimal(str(v)) for v in parts.values()]
        except (ArithmeticError, ValueError, TypeError):
            return str(_("The values of %(dimension)s must be numbers.") % {"dimension": dimension})
        if any(not n.is_finite() or n < 0 for n in numbers):
            return str(_("The values of %(dimension)s must be numbers of 0 or more.") % {"dimension": dimension})
        if sum(numbers, Decimal(0)) != total:
            return str(
                _("The values of %(dimension)s add up to %(sum)s, not to the total %(total)s.")
                % {"dimension": dimension, "sum": _plain(sum(numbers, Decimal(0))), "total": _plain(Decimal(total))}
            )
    return None


def _plain(number: Decimal) -> str:
    """A number as the person typed it, whatever the entry path gave (the form "9", the API "9.00"):
    no trailing zeros, no exponent."""
    return format(number.normalize(), "f")
