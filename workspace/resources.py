"""The focal points' progress upload as a django-import-export resource: one row, one progress update.

The resource declares the columns (the shared widgets of core.widgets, worded as the upload words
its problems) and the rules of this project: the action and country must be the user's, "completed"
means 100 %, and a row's indicator cells (roadmaps.indicator_import, the model's own checks) become
the indicator values reported with the update. Nothing is written here: every valid row is collected
as a ParsedRow, and workspace.spreadsheet.submit_rows submits them all, in one transaction, or none.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from import_export import fields, instance_loaders, resources
from import_export import widgets as ie_widgets

from accounts import roles
from core.params import has_control_character
from core.widgets import ChoiceLabelWidget, TextWidget, WholeNumberWidget
from countries.models import Country
from roadmaps.indicator_import import indicator_values_from_cells
from roadmaps.models import COMPLETED_MEANS_100_MESSAGE, Action, ActionStatus
from workspace.forms import NARRATIVE_MAX, NOTES_MAX

ROW = "__row__"  # the spreadsheet's own row number, carried in the dataset
COLUMNS = [
    "roadmap_slug",
    "action_code",
    "country_code",
    "status",
    "percent",
    "narrative",
    "challenges",
    "next_steps",
    "evidence_link",
]


@dataclass
class ParsedRow:
    """One checked row, ready for progress_update_submit."""

    row: int
    action: Action
    country: Country
    status: str
    percent: int
    narrative: str
    challenges: str
    next_steps: str
    evidence_url: str
    indicator_values: list = field(default_factory=list)


class UploadRow:
    """What a row's cells are read into before it becomes a ParsedRow."""


def _required():
    return _("Required.")


class UploadText(TextWidget):
    def __init__(self, **kwargs):
        super().__init__(required_message=_required, **kwargs)

    def too_long(self, text):
        return _("At most %(limit)s characters (it has %(count)s).") % {"limit": self.max_length, "count": len(text)}


class UploadStatus(ChoiceLabelWidget):
    def __init__(self):
        super().__init__(ActionStatus, required_message=_required)

    def unknown(self, text):
        return _("Unknown status “%(value)s”; use one of: %(codes)s.") % {
            "value": text,
            "codes": ", ".join(ActionStatus.values),
        }


class EvidenceLinkWidget(ie_widgets.CharWidget):
    validate = URLValidator()

    def clean(self, value, row=None, **kwargs):
        link = str(value or "").strip()
        if link:
            try:
                if len(link) > 500:
                    raise ValidationError("too long")
                self.validate(link)
            except ValidationError:
                raise ValueError(_("Enter a complete web address (https://…), at most 500 characters.")) from None
        return link


class ProgressRowResource(resources.Resource):
    roadmap_slug = fields.Field("roadmap_slug", "roadmap_slug", UploadText(required=True))
    action_code = fields.Field("action_code", "action_code", UploadText(required=True))
    country_code = fields.Field("country_code", "country_code", UploadText(required=True))
    status = fields.Field("status", "status", UploadStatus())
    percent = fields.Field("percent", "percent", WholeNumberWidget(minimum=0, maximum=100, required_message=_required))
    narrative = fields.Field("narrative", "narrative", UploadText(required=True, max_length=NARRATIVE_MAX))
    challenges = fields.Field("challenges", "challenges", UploadText(max_length=NOTES_MAX))
    next_steps = fields.Field("next_steps", "next_steps", UploadText(max_length=NOTES_MAX))
    evidence_link = fields.Field("evidence_link", "evidence_link", EvidenceLinkWidget())

    class Meta:
        instance_loader_class = instance_loaders.BaseInstanceLoader  # unused: every row is new
        skip_diff = True
        use_transactions = False  # nothing is written here

    def __init__(self, user):
        super().__init__()
        country_ids = roles.focal_country_ids(user)
        self.my_countries = {c.code: c for c in Country.objects.filter(id__in=country_ids)}
        # Every action the user's countries are responsible for, keyed by (roadmap slug, action code).
        self.my_actions = {
            (action.roadmap.slug, action.code.upper()): action
            for action in Action.objects.reported_by(user)
            .select_related("roadmap")
            .prefetch_related("countries", "indicators")
        }
        self.parsed: list[ParsedRow] = []

    def get_instance(self, instance_loader, row):
        return None

    def init_instance(self, row=None):
        return UploadRow()

    def import_instance(self, instance, row, **kwargs):
        # PostgreSQL refuses a NUL in text with an exception: name the cell, and check nothing else.
        unreadable = [name for name, value in row.items() if isinstance(value, str) and has_control_character(value)]
        if unreadable:
            message = _("This cell contains a control character (such as NUL); remove it.")
            raise ValidationError({name: [message] for name in unreadable})
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.error_dict
        for column, messages in self.row_checks(instance, row).items():
            errors.setdefault(column, []).extend(ValidationError(m) for m in messages)
        if errors:
            raise ValidationError(errors)

    def row_checks(self, instance, row) -> dict[str, list[str]]:
        problems: dict[str, list[str]] = {}
        slug = getattr(instance, "roadmap_slug", "")
        code = getattr(instance, "action_code", "").upper()
        country_code = getattr(instance, "country_code", "").upper()
        instance.action = action = self.my_actions.get((slug, code))
        if slug and code and action is None:
            problems["action_code"] = [
                _("No action %(code)s in roadmap %(slug)s that one of your countries is responsible for.")
                % {"code": code, "slug": slug}
            ]
        instance.country = country = self.my_countries.get(country_code)
        if country_code and country is None:
            problems["country_code"] = [_("You are not a focal point for %(code)s.") % {"code": country_code}]
        elif action is not None and country is not None and country.id not in {c.id for c in action.countries.all()}:
            problems["country_code"] = [
                _("%(country)s is not responsible for action %(code)s.") % {"country": country_code, "code": code}
            ]
        percent = getattr(instance, "percent", None)
        if getattr(instance, "status", None) == ActionStatus.COMPLETED and percent is not None and percent != 100:
            problems["percent"] = [COMPLETED_MEANS_100_MESSAGE % {}]
        instance.indicator_values = []
        if action is not None:
            cells = {name: value for name, value in row.items() if name != ROW and name not in COLUMNS}
            instance.indicator_values, found = indicator_values_from_cells(action, cells)
            problems.update(found)
        return problems

    def save_instance(self, instance, is_create, row, **kwargs):
        """Not saved: collected, to be submitted with every other row (submit_rows)."""
        self.parsed.append(
            ParsedRow(
                row=row[ROW],
                action=instance.action,
                country=instance.country,
                status=instance.status,
                percent=instance.percent,
                narrative=instance.narrative,
                challenges=getattr(instance, "challenges", ""),
                next_steps=getattr(instance, "next_steps", ""),
                evidence_url=getattr(instance, "evidence_link", ""),
                indicator_values=instance.indicator_values,
            )
        )
