"""The results framework: numeric indicators of an action, and the values countries report per cycle.

An `Indicator` measures an action (unit, baseline, target, direction, how values combine); each
responsible country reports an `IndicatorValue` per reporting cycle, with its progress update. Only the
values of approved updates count anywhere public (`IndicatorValueQuerySet.counted`). Progress toward the
target is computed in one place: roadmaps.indicators.
"""

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import BilingualFields
from core.models import TimeStampedModel, not_before
from roadmaps.models.choices import CountryCombine, CycleCombine, Direction, IndicatorUnit, ReviewState
from roadmaps.models.core import Action
from roadmaps.models.disaggregation import CATEGORIES, Dimension, disaggregation_error, plain_disaggregation

VALUE_DIGITS = {"max_digits": 16, "decimal_places": 2}


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(action__in=Action.objects.visible_to(user))

    def definition_only(self):
        """Indicators without a numeric target: for the secretariat to complete."""
        return self.filter(target_value__isnull=True)


class Indicator(TimeStampedModel):
    """A numeric measure of an action, with its baseline, target and rules of combination."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("action"))
    code = models.CharField(_("code"), max_length=20, help_text=_("Short code, unique within its action, e.g. I1."))
    name = BilingualFields(models.CharField, max_length=300, es={"blank": True})
    definition = BilingualFields(models.TextField, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=IndicatorUnit, default=IndicatorUnit.NUMBER)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code (e.g. USD) when the unit is a currency.")
    )
    baseline_value = models.DecimalField(_("baseline value"), null=True, blank=True, **VALUE_DIGITS)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"),
        null=True,
        blank=True,
        help_text=_("Empty: a definition with no number yet, listed for the secretariat to complete."),
        **VALUE_DIGITS,
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction, default=Direction.INCREASE)
    cycle_combine = models.CharField(_("across cycles"), max_length=8, choices=CycleCombine, default=CycleCombine.SUM)
    country_combine = models.CharField(
        _("across countries"), max_length=8, choices=CountryCombine, default=CountryCombine.SUM
    )
    dimensions = ArrayField(
        models.CharField(max_length=20, choices=Dimension),
        default=list,
        blank=True,
        verbose_name=_("disaggregated by"),
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["action_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "code"],
                name="indicator_code_unique_in_action",
                violation_error_message=_("This action already has an indicator with this code."),
            ),
            models.CheckConstraint(
                condition=Q(unit=IndicatorUnit.CURRENCY, currency__regex=r"^[A-Z]{3}$")
                | (~Q(unit=IndicatorUnit.CURRENCY) & Q(currency="")),
                name="indicator_currency_iff_unit",
                violation_error_message=_("A currency indicator needs its ISO code (e.g. USD); other units none."),
            ),
            models.CheckConstraint(
                condition=(Q(baseline_value__isnull=True) | Q(baseline_value__gte=0))
                & (Q(target_value__isnull=True) | Q(target_value__gte=0)),
                name="indicator_values_not_negative",
                violation_error_message=_("Baseline and target cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(unit=IndicatorUnit.PERCENT)
                | (
                    (Q(baseline_value__isnull=True) | Q(baseline_value__lte=100))
                    & (Q(target_value__isnull=True) | Q(target_value__lte=100))
                ),
                name="indicator_percent_at_most_100",
                violation_error_message=_("A percent cannot be over 100."),
            ),
            not_before(
                "target_date",
                "baseline_date",
                optional=("target_date", "baseline_date"),
                name="indicator_target_not_before_baseline",
                message=_("The target date cannot be before the baseline date."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        super().clean()
        errors = {}
        if self.unit == IndicatorUnit.CURRENCY:
            self.currency = (self.currency or "").strip().upper()
        if self.unit == IndicatorUnit.YES_NO:
            for field in ("baseline_value", "target_value"):
                if getattr(self, field) not in (None, Decimal(0), Decimal(1)):
                    errors[field] = _("A yes/no indicator takes 1 (yes) or 0 (no).")
        base, target = self.baseline_value, self.target_value
        if base is not None and target is not None:
            if self.direction == Direction.INCREASE and target <= base:
                errors["target_value"] = _("An increasing indicator needs a target above its baseline.")
            elif self.direction == Direction.DECREASE and target >= base:
                errors["target_value"] = _("A decreasing indicator needs a target below its baseline.")
        unknown = [d for d in self.dimensions or [] if d not in CATEGORIES]
        if unknown:
            errors["dimensions"] = _("Unknown dimension: %(names)s.") % {"names": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)


class IndicatorCountryTarget(models.Model):
    """A responsible country's own share of an indicator's target (optional)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="country_targets", verbose_name=_("indicator")
    )
    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT, verbose_name=_("country"))
    target_value = models.DecimalField(_("target value"), **VALUE_DIGITS)

    class Meta:
        verbose_name = _("target of a country")
        verbose_name_plural = _("targets per country")
        ordering = ["indicator_id", "country__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country"],
                name="indicator_country_target_unique",
                violation_error_message=_("This country already has a target for this indicator."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__gte=0),
                name="indicator_country_target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} · {self.country_id}: {self.target_value}"


class IndicatorValueQuerySet(models.QuerySet):
    def counted(self):
        """The values that count anywhere public: those reported with an approved update."""
        return self.filter(update__review_state=ReviewState.APPROVED)

    def visible_to(self, user):
        """Approved values of visible actions; a focal point adds their own countries' values;
        the secretariat sees all (the same rule as the updates they came with)."""
        from roadmaps.models.core import ProgressUpdate

        return self.filter(update__in=ProgressUpdate.objects.visible_to(user))


class IndicatorValue(TimeStampedModel):
    """What one country reported for one indicator in one cycle, with one progress update.

    A country that reports again in the same cycle (a returned update corrected) adds a new value with
    the new update; the value of its latest approved update in the cycle is the one that counts."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    country = models.ForeignKey(
        "countries.Country", on_delete=models.PROTECT, related_name="indicator_values", verbose_name=_("country")
    )
    cycle = models.ForeignKey(
        "roadmaps.ReportingCycle",
        on_delete=models.PROTECT,
        related_name="indicator_values",
        verbose_name=_("reporting cycle"),
    )
    update = models.ForeignKey(
        "roadmaps.ProgressUpdate",
        on_delete=models.PROTECT,
        related_name="indicator_values",
        verbose_name=_("progress update"),
    )
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    disaggregation = models.JSONField(
        _("disaggregated values"), default=dict, blank=True, help_text=_("{dimension: {category: value}}")
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator_id", "country_id", "cycle_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "indicator"],
                name="indicator_value_once_per_update",
                violation_error_message=_("This update already has a value for this indicator."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="indicator_value_not_negative",
                violation_error_message=_("A value cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["indicator", "country", "cycle"], name="indicator_value_icc_idx")]

    def __str__(self):
        return f"{self.indicator_id} · {self.country_id} · {self.cycle_id}: {self.value}"

    def clean(self):
        super().clean()
        # A value that is not a number was already refused by clean_fields (full_clean runs both).
        if self.indicator_id is None or not isinstance(self.value, Decimal):
            return
        indicator = self.indicator
        errors = {}
        if self.value < 0:
            errors["value"] = _("A value cannot be negative.")
        elif indicator.unit == IndicatorUnit.PERCENT and self.value > 100:
            errors["value"] = _("A percent cannot be over 100.")
        elif indicator.unit == IndicatorUnit.YES_NO and self.value not in (Decimal(0), Decimal(1)):
            errors["value"] = _("A yes/no indicator takes 1 (yes) or 0 (no).")
        elif indicator.unit == IndicatorUnit.PEOPLE and self.value != self.value.to_integral_value():
            errors["value"] = _("A number of people is a whole number.")
        message = disaggregation_error(indicator, self.value, self.disaggregation)
        if message:
            errors["disaggregation"] = message
        if errors:
            raise ValidationError(errors)
        # Stored exactly, as the value is: decimal strings with two places.
        self.disaggregation = {
            dimension: {category: str(Decimal(str(v)).quantize(Decimal("0.01"))) for category, v in parts.items()}
            for dimension, parts in (self.disaggregation or {}).items()
        }


class IndicatorSnapshotRow(models.Model):
    """The frozen indicator figures of one (indicator, country) at a cycle's close: the cycle's value and
    the cumulative by the indicator's rules. The database refuses UPDATE and DELETE (migration 0007)."""

    cycle = models.ForeignKey(
        "roadmaps.ReportingCycle", on_delete=models.PROTECT, related_name="indicator_snapshot_rows"
    )
    frozen_at = models.DateTimeField(_("frozen at"), db_index=True)
    indicator_id = models.BigIntegerField(_("indicator id"), db_index=True)
    indicator_code = models.CharField(_("code"), max_length=20)
    indicator_name = BilingualFields(models.CharField, label="name", max_length=300)
    action_id = models.BigIntegerField(_("action id"))
    roadmap_id = models.BigIntegerField(_("roadmap id"))
    # Empty for the indicator's overall row (all countries combined).
    country_code = models.CharField(_("country"), max_length=2, blank=True)
    cycle_value = models.DecimalField(_("value in the cycle"), null=True, **VALUE_DIGITS)
    cumulative_value = models.DecimalField(_("cumulative value"), null=True, **VALUE_DIGITS)
    target_value = models.DecimalField(_("target value"), null=True, **VALUE_DIGITS)
    percent_of_target = models.IntegerField(_("percent of the way to the target"), null=True)

    class Meta:
        verbose_name = _("indicator snapshot row")
        verbose_name_plural = _("indicator snapshot rows")
        ordering = ["cycle_id", "indicator_id", "country_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "frozen_at", "indicator_id", "country_code"], name="indicator_snapshot_row_unique"
            ),
        ]

    def __str__(self):
        return f"{self.cycle_id} · {self.indicator_code} · {self.country_code or '*'}"


def indicator_value_errors(indicator: Indicator, value, disaggregation=None) -> dict[str, list[str]]:
    """The model's own checks of one reported value (not stored), by field: what the web form, the API
    serializer and the spreadsheet show where the user typed it. `value` may be raw text ("N/A")."""
    candidate = IndicatorValue(
        indicator=indicator, value=value, disaggregation=plain_disaggregation(disaggregation or {})
    )
    try:
        candidate.clean_fields(exclude=["indicator", "country", "cycle", "update"])
        candidate.clean()
    except ValidationError as error:
        return {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
    return {}
