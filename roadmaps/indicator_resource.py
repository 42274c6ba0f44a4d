"""The indicators sheet of the secretariat's spreadsheet import: an indicator on an action of the file
or of the database, checked by the model's own rules (the shared sheet machinery: roadmaps.resources)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from core.widgets import ChoiceLabelWidget, ChoiceListWidget, DateCellWidget, NumberCellWidget, TextWidget
from roadmaps.models import Action
from roadmaps.models.choices import CountryCombine, CycleCombine, Direction, IndicatorUnit
from roadmaps.models.disaggregation import Dimension
from roadmaps.models.indicators import Indicator
from roadmaps.resources import ROW, Plan, SheetResource


class IndicatorResource(SheetResource):
    """An indicator on an action of the file or of the database (roadmap slug + action code)."""

    model = Indicator
    roadmap = fields.Field("import_roadmap", "roadmap", TextWidget(required=True))
    action = fields.Field("import_action", "action", TextWidget(required=True))
    code = fields.Field("code", "code", TextWidget(required=True, max_length=20))
    name_en = fields.Field("name_en", "name_en", TextWidget(required=True, max_length=300))
    name_es = fields.Field("name_es", "name_es", TextWidget(max_length=300))
    definition_en = fields.Field("definition_en", "definition_en", TextWidget())
    definition_es = fields.Field("definition_es", "definition_es", TextWidget())
    unit = fields.Field("unit", "unit", ChoiceLabelWidget(IndicatorUnit, default=IndicatorUnit.NUMBER))
    currency = fields.Field("currency", "currency", TextWidget(max_length=3))
    baseline_value = fields.Field("baseline_value", "baseline_value", NumberCellWidget())
    baseline_date = fields.Field("baseline_date", "baseline_date", DateCellWidget())
    target_value = fields.Field("target_value", "target_value", NumberCellWidget())
    target_date = fields.Field("target_date", "target_date", DateCellWidget())
    direction = fields.Field("direction", "direction", ChoiceLabelWidget(Direction, default=Direction.INCREASE))
    cycle_combine = fields.Field(
        "cycle_combine", "cycle_combine", ChoiceLabelWidget(CycleCombine, default=CycleCombine.SUM)
    )
    country_combine = fields.Field(
        "country_combine", "country_combine", ChoiceLabelWidget(CountryCombine, default=CountryCombine.SUM)
    )
    dimensions = fields.Field("dimensions", "dimensions", ChoiceListWidget(Dimension))

    def __init__(self, context):
        super().__init__(context)
        self.seen: dict[tuple[str, str, str], int] = {}

    def before_import(self, dataset, **kwargs):
        self.existing = set(Indicator.objects.values_list("action__roadmap__slug", "action__code", "code"))

    def row_checks(self, instance, row, problems):
        slug, code = getattr(instance, "import_roadmap", ""), getattr(instance, "import_action", "")
        if slug and code:
            action = self.context.saved_actions.get((slug, code))
            if action is None:
                action = Action.objects.filter(roadmap__slug=slug, code=code).first()
            if action is None and not self.context.failed:
                problems["import_action"] = _("No action %(code)s in roadmap %(slug)s.") % {"code": code, "slug": slug}
            if action is not None:
                instance.action = action
            key = (slug, code, instance.code)
            if instance.code and key in self.existing:
                problems["code"] = _("Action %(action)s already has an indicator %(code)s.") % {
                    "action": code,
                    "code": instance.code,
                }
            elif instance.code and key in self.seen:
                problems["code"] = _("Duplicate indicator code: row %(row)d has %(code)s for the same action.") % {
                    "row": self.seen[key],
                    "code": instance.code,
                }
            self.seen.setdefault(key, row[ROW])
        if not problems and instance.action_id is not None:
            # The model's own rules (target above the baseline when increasing, yes/no values...).
            try:
                instance.clean()
            except ValidationError as error:
                for attribute, messages in error.message_dict.items():
                    problems.setdefault(attribute, " ".join(messages))

    def do_instance_save(self, instance, is_create):
        instance.full_clean()
        instance.save()

    def plan(self, instance, row):
        return Plan(row[ROW], {"action": instance.action.code, "code": instance.code, "name_en": instance.name_en})
