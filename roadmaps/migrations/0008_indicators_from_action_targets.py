"""Today's text fields of an action (indicator, baseline, target) become an indicator.

Where the target reads as a number ("500", "3,500 (2026)", "90 %"), the indicator gets that number (and
the baseline's, if it reads as one; a year in brackets becomes the date: 31 December); the text is kept
as the definition. Any other text becomes a definition-only indicator (no target value), which the admin
lists under "numeric target: no" for the secretariat to complete. The action's text fields are kept.
"""

import datetime
import re
from decimal import Decimal

from django.db import migrations

NUMBER = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(%)?\s*(?:\((\d{4})\))?\s*$")


def parse_amount(text: str):
    """(value, is_percent, date) when `text` reads as one number, else None."""
    match = NUMBER.match(text or "")
    if not match:
        return None
    value = Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))
    year = match.group(4)
    return value, bool(match.group(3)), datetime.date(int(year), 12, 31) if year else None


def forwards(apps, schema_editor):
    Action = apps.get_model("roadmaps", "Action")
    Indicator = apps.get_model("roadmaps", "Indicator")
    new = []
    for action in Action.objects.exclude(indicator="", baseline="", target="").iterator():
        texts = [
            f"{label}: {text}"
            for label, text in (("Indicator", action.indicator), ("Baseline", action.baseline), ("Target", action.target))
            if text
        ]
        indicator = Indicator(
            action_id=action.pk,
            code="I1",
            name_en=(action.indicator or action.target or action.title_en)[:300],
            definition_en="\n".join(texts),
        )
        target = parse_amount(action.target)
        baseline = parse_amount(action.baseline)
        if target and not (target[1] and target[0] > 100):
            indicator.target_value, percent, indicator.target_date = target
            indicator.unit = "percent" if percent else "number"
            if baseline and baseline[1] == percent:
                indicator.baseline_value, _percent, indicator.baseline_date = baseline
                if indicator.target_value < indicator.baseline_value:
                    indicator.direction = "decrease"
                elif indicator.target_value == indicator.baseline_value:
                    indicator.direction = "maintain"
            if indicator.baseline_date and indicator.target_date and indicator.target_date < indicator.baseline_date:
                indicator.baseline_date = None
        new.append(indicator)
    Indicator.objects.bulk_create(new, batch_size=500)


def backwards(apps, schema_editor):
    apps.get_model("roadmaps", "Indicator").objects.filter(code="I1", values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0007_indicators_and_values")]

    operations = [migrations.RunPython(forwards, backwards)]
