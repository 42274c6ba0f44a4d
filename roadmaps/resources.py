"""The secretariat's spreadsheet import as django-import-export resources: one per sheet (the
indicators sheet: roadmaps.indicator_resource).

Each resource declares its columns (fields with the shared widgets of core.widgets) and adds the
rules only this project has: slugs and codes unique in the database and in the file, dates in order,
"completed" means 100 %, `depends_on` naming actions of the same roadmap. Rows are only ever new.
Saving goes through the services (`action_save`, the baseline of the action's countries). Once any row
has failed nothing more is saved, and the caller (roadmaps.imports.run_import) rolls everything back.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, instance_loaders, resources
from import_export.results import RowResult

from core.widgets import (
    ChoiceLabelWidget,
    DateCellWidget,
    LookupListWidget,
    LookupWidget,
    TextWidget,
    WholeNumberWidget,
    split_list,
)
from countries.models import Country
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from roadmaps.models import COMPLETED_MEANS_100_MESSAGE, Action, ActionStatus, Roadmap, RoadmapStatus, Theme, Visibility
from roadmaps.services import action_progress_set_baseline, action_save

ROW = "__row__"  # the spreadsheet's own row number, carried in the dataset


@dataclass
class Plan:
    """One row that became (in the preview: would become) one object, as the preview lists it."""

    row: int
    values: dict
    relations: dict = field(default_factory=dict)


class ImportContext:
    """What one import shares between its sheets: reference rows (loaded once), the user, and whether
    any row has failed yet."""

    def __init__(self, user):
        self.user = user
        self.failed = False
        self.countries = {c.code: c for c in Country.objects.all()}
        self.objectives = {o.number: o for o in Objective.objects.all()}
        self.principles = {p.letter: p for p in GuidingPrinciple.objects.all()}
        self.organizations = {o.key.lower(): o for o in Organization.objects.all()}
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.forums = {f.key: f for f in Forum.objects.all()}
        self.file_roadmaps: set[str] = set()
        self.saved_actions: dict[tuple[str, str], Action] = {}


def _unknown_country(code):
    return _("Unknown country code “%(code)s” (use the ISO alpha-2 code, e.g. SV).") % {"code": code}


def _objective_key(text):
    try:
        return int(text)
    except ValueError:
        return text


def _unknown_objective(number):
    return _("GCM objective %(number)s does not exist: the objectives are numbered 1 to 23.") % {"number": number}


def _unknown_principle(letter):
    return _("Unknown guiding principle “%(letter)s” (use a letter from a to j).") % {"letter": letter}


def _unknown_organization(key):
    return _("Unknown organisation key “%(key)s”.") % {"key": key}


def _upper(text):
    return text.upper()


def _lower(text):
    return text.lower()


# A many-to-many column: its ImportContext table, the message for an unknown key, how a key is written.
RELATIONS = {
    "countries": (_unknown_country, _upper),
    "organizations": (_unknown_organization, _lower),
    "objectives": (_unknown_objective, _objective_key),
    "principles": (_unknown_principle, _lower),
}


def relation_column(context: ImportContext, name: str, *, required: bool = False) -> fields.Field:
    """The `name` column: keys separated by commas, read into `import_<name>`."""
    unknown, normalise = RELATIONS[name]
    widget = LookupListWidget(lambda: getattr(context, name), unknown, normalise=normalise, required=required)
    return fields.Field(f"import_{name}", name, widget)


class SheetResource(resources.Resource):
    """Shared by the sheets: new rows only, no diff, errors by column, nothing saved after a failure."""

    model = None
    # Many-to-many columns, read into `import_<name>` and set once the row is saved.
    relations: tuple[str, ...] = ()

    class Meta:
        instance_loader_class = instance_loaders.BaseInstanceLoader  # unused: get_instance says "new"
        skip_diff = True
        clean_model_instances = False  # the services and the checks below say what is wrong, by column
        use_transactions = False  # run_import holds the one transaction of the whole file

    def __init__(self, context: ImportContext):
        self.context = context
        self.plans: list[Plan] = []
        super().__init__()

    def plan(self, instance, row) -> Plan:
        return Plan(row[ROW], {})

    def get_instance(self, instance_loader, row):
        return None  # never an update: an existing slug or code is an error

    def init_instance(self, row=None):
        return self.model()

    def column_of(self, attribute: str) -> str:
        for declared in self.get_import_fields():
            if declared.attribute == attribute:
                return declared.column_name
        return attribute

    def row_checks(self, instance, row, problems: dict) -> None:
        """Project rules over the whole row: add {attribute: message} to `problems`."""

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.error_dict
        problems: dict[str, str] = {}
        self.row_checks(instance, row, problems)
        for attribute, message in problems.items():
            errors.setdefault(attribute, []).append(ValidationError(message))
        if errors:
            raise ValidationError(errors)

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.import_type in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR):
            self.context.failed = True
        return result

    def save_instance(self, instance, is_create, row, **kwargs):
        if not self.context.failed:
            with transaction.atomic():  # a refused row leaves the file's transaction usable
                super().save_instance(instance, is_create, row, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        for name in self.relations:
            getattr(instance, name).set(getattr(instance, f"import_{name}", []))
        self.plans.append(self.plan(instance, row))


class RoadmapResource(SheetResource):
    slug = fields.Field("slug", "slug", TextWidget(required=True, max_length=120))
    title_en = fields.Field("title_en", "title_en", TextWidget(required=True, max_length=250))
    title_es = fields.Field("title_es", "title_es", TextWidget(required=True, max_length=250))
    description_en = fields.Field("description_en", "description_en", TextWidget())
    description_es = fields.Field("description_es", "description_es", TextWidget())
    start_date = fields.Field("start_date", "start_date", DateCellWidget(required=True))
    end_date = fields.Field("end_date", "end_date", DateCellWidget())
    status = fields.Field("status", "status", ChoiceLabelWidget(RoadmapStatus, default=RoadmapStatus.DRAFT))
    visibility = fields.Field("visibility", "visibility", ChoiceLabelWidget(Visibility, default=Visibility.PUBLIC))
    relations = ("countries", "organizations", "objectives", "principles")

    model = Roadmap

    def __init__(self, context):
        super().__init__(context)
        c = context
        for name, declared in {
            "theme": fields.Field("theme", "theme", LookupWidget(lambda: c.themes, self._unknown_theme, required=True)),
            "forum": fields.Field("forum", "forum", LookupWidget(lambda: c.forums, self._unknown_forum)),
            "lead_country": fields.Field(
                "lead_country",
                "lead_country",
                LookupWidget(lambda: c.countries, _unknown_country, normalise=_upper, required=True),
            ),
        }.items():
            self.fields[name] = declared
        for name in self.relations:
            self.fields[name] = relation_column(context, name)
        self.seen: dict[str, int] = {}
        self.existing = set(Roadmap.objects.values_list("slug", flat=True))

    def do_instance_save(self, instance, is_create):
        instance.full_clean()
        instance.save()

    def plan(self, instance, row):
        values = {k: getattr(instance, k) for k in ("slug", "title_en", "title_es", "lead_country", "start_date")}
        return Plan(row[ROW], values)

    @staticmethod
    def _unknown_theme(slug):
        return _("Unknown theme “%(slug)s” (use the theme's slug).") % {"slug": slug}

    @staticmethod
    def _unknown_forum(key):
        return _("Unknown forum “%(key)s” (use the forum's key).") % {"key": key}

    def before_import(self, dataset, **kwargs):
        slugs = dataset["slug"] if "slug" in (dataset.headers or []) else []
        self.context.file_roadmaps = {str(slug).strip() for slug in slugs if slug}

    def row_checks(self, instance, row, problems):
        slug, number = getattr(instance, "slug", ""), row[ROW]
        if slug:
            try:
                validate_slug(slug)
            except ValidationError:
                problems["slug"] = _("Use only letters, numbers, hyphens and underscores.")
            if slug in self.existing:
                problems["slug"] = _("A roadmap with the slug “%(slug)s” already exists.") % {"slug": slug}
            elif slug in self.seen:
                problems["slug"] = _("Duplicate slug: row %(row)d has it too.") % {"row": self.seen[slug]}
            self.seen.setdefault(slug, number)
        if instance.start_date and instance.end_date and instance.end_date < instance.start_date:
            problems["end_date"] = _("The end date is before the start date.")


class ActionResource(SheetResource):
    roadmap = fields.Field("import_roadmap", "roadmap", TextWidget(required=True))
    code = fields.Field("code", "code", TextWidget(required=True, max_length=20))
    title_en = fields.Field("title_en", "title_en", TextWidget(required=True, max_length=300))
    title_es = fields.Field("title_es", "title_es", TextWidget(required=True, max_length=300))
    description_en = fields.Field("description_en", "description_en", TextWidget())
    description_es = fields.Field("description_es", "description_es", TextWidget())
    start_date = fields.Field("start_date", "start_date", DateCellWidget())
    due_date = fields.Field("due_date", "due_date", DateCellWidget())
    indicator = fields.Field("indicator", "indicator", TextWidget())
    baseline = fields.Field("baseline", "baseline", TextWidget(max_length=250))
    target = fields.Field("target", "target", TextWidget(max_length=250))
    status = fields.Field("status", "status", ChoiceLabelWidget(ActionStatus, default=ActionStatus.NOT_STARTED))
    percent_complete = fields.Field(
        "percent_complete", "percent_complete", WholeNumberWidget(minimum=0, maximum=100, default=0)
    )
    depends_on = fields.Field("import_depends_on", "depends_on", TextWidget())
    relations = ("countries", "organizations", "objectives")

    model = Action

    def __init__(self, context):
        super().__init__(context)
        self.fields["countries"] = relation_column(context, "countries", required=True)
        self.fields["organizations"] = relation_column(context, "organizations")
        # Empty: the action serves its roadmap's objectives (never copied: README "Where each rule lives").
        self.fields["objectives"] = relation_column(context, "objectives")
        self.seen: dict[tuple[str, str], int] = {}

    def before_import(self, dataset, **kwargs):
        # Roadmaps of the file are saved by now (unless one failed): read them with the others.
        self.roadmaps = {r.slug: r for r in Roadmap.objects.all()}
        self.db_codes = set(Action.objects.values_list("roadmap__slug", "code"))
        rows = dataset.dict if dataset.headers else []
        self.file_codes = {(cell(r, "roadmap"), cell(r, "code")) for r in rows}

    def row_checks(self, instance, row, problems):
        slug, code, number = getattr(instance, "import_roadmap", ""), instance.code, row[ROW]
        if slug:
            roadmap = self.roadmaps.get(slug)
            if roadmap is not None:
                instance.roadmap = roadmap
            elif slug not in self.context.file_roadmaps:
                problems["import_roadmap"] = _("Unknown roadmap “%(slug)s” (use the roadmap's slug).") % {"slug": slug}
        if slug and code:
            if (slug, code) in self.db_codes:
                problems["code"] = _("Duplicate action code: %(code)s already exists in %(slug)s.") % {
                    "code": code,
                    "slug": slug,
                }
            elif (slug, code) in self.seen:
                problems["code"] = _("Duplicate action code: row %(row)d has %(code)s in the same roadmap.") % {
                    "row": self.seen[(slug, code)],
                    "code": code,
                }
            self.seen.setdefault((slug, code), number)
        if instance.start_date and instance.due_date and instance.due_date < instance.start_date:
            problems["due_date"] = _("The due date is before the start date.")
        if instance.status == ActionStatus.COMPLETED and instance.percent_complete not in (None, 100):
            problems.setdefault("percent_complete", COMPLETED_MEANS_100_MESSAGE % {})
        # Dependencies name actions of the same roadmap, already saved or in this file.
        known = self.db_codes | self.file_codes
        missing = [c for c in split_list(getattr(instance, "import_depends_on", "")) if (slug, c) not in known]
        if missing:
            problems["import_depends_on"] = " ".join(
                _("No action %(code)s in roadmap %(slug)s.") % {"code": c, "slug": slug} for c in missing
            )

    def do_instance_save(self, instance, is_create):
        action_save(action=instance, user=self.context.user)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        # The imported status and percent are the starting state of its countries, as in the admin.
        action_progress_set_baseline(
            action=instance, status=instance.status, percent_complete=instance.percent_complete
        )
        self.context.saved_actions[(instance.roadmap.slug, instance.code)] = instance

    def plan(self, instance, row):
        values = {k: getattr(instance, k) for k in ("code", "title_en", "due_date", "percent_complete")}
        values["roadmap"] = instance.roadmap.slug
        return Plan(row[ROW], values, {"countries": instance.import_countries})

    def after_import(self, dataset, result, **kwargs):
        """Dependencies once every action of the file is saved (they may point forward)."""
        if self.context.failed:
            return
        for action in self.context.saved_actions.values():
            codes = split_list(getattr(action, "import_depends_on", ""))
            if codes:
                slug = action.roadmap.slug
                action.depends_on.set(
                    [
                        self.context.saved_actions.get((slug, c)) or Action.objects.get(roadmap__slug=slug, code=c)
                        for c in codes
                    ]
                )


def cell(row: dict, column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()
