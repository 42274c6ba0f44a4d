"""Import roadmaps and actions from a spreadsheet (XLSX or CSV): all rows or none.

Layout (header row first; column names are case-insensitive; lists are separated by commas or
semicolons; dates are YYYY-MM-DD, or real dates in Excel):

- sheet / CSV **roadmaps**: slug*, title_en*, title_es*, theme* (theme slug), forum (forum key),
  lead_country* (ISO alpha-2), countries, organizations (keys), objectives (1–23), principles (a–j),
  start_date*, end_date, status (draft/active/completed/archived), visibility (public/partners/internal),
  description_en, description_es
- sheet / CSV **actions**: roadmap* (slug, of an existing roadmap or one in the same file), code*,
  title_en*, title_es*, countries* (responsible), organizations, objectives (empty: the roadmap's),
  start_date, due_date, indicator, baseline, target, status (not_started/on_track/at_risk/delayed/
  completed/cancelled), percent_complete (0–100), depends_on (codes in the same roadmap),
  description_en, description_es

(* required). Every bad cell is reported as (sheet, row, column, reason); one bad cell and nothing
is written. Status and visibility accept the code or the English or Spanish label.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.spreadsheets import (
    VALID_VALUES_SHEET,
    XLSX_CONTENT_TYPE,
    CellError,
    cell_text,
    choice_lookup,
    choice_values,
    csv_rows,
    decode_csv,
    is_comment_row,
    normalise_label,
    parse_whole_number,
    write_sheet,
    write_value_lists,
)
from countries.models import Country
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from roadmaps.models import COMPLETED_MEANS_100_MESSAGE, Action, ActionStatus, Roadmap, RoadmapStatus, Theme, Visibility
from roadmaps.services import action_progress_set_baseline, action_save

ROADMAPS, ACTIONS = "roadmaps", "actions"
KINDS = (ROADMAPS, ACTIONS)
MAX_BYTES = 5 * 1024 * 1024
SESSION_KEY = "roadmaps_import_file"

ROADMAP_COLUMNS = [
    "slug",
    "title_en",
    "title_es",
    "theme",
    "forum",
    "lead_country",
    "countries",
    "organizations",
    "objectives",
    "principles",
    "start_date",
    "end_date",
    "status",
    "visibility",
    "description_en",
    "description_es",
]
ROADMAP_REQUIRED = {"slug", "title_en", "title_es", "theme", "lead_country", "start_date"}
ACTION_COLUMNS = [
    "roadmap",
    "code",
    "title_en",
    "title_es",
    "countries",
    "organizations",
    "objectives",
    "start_date",
    "due_date",
    "indicator",
    "baseline",
    "target",
    "status",
    "percent_complete",
    "depends_on",
    "description_en",
    "description_es",
]
ACTION_REQUIRED = {"roadmap", "code", "title_en", "title_es", "countries"}
COLUMNS = {ROADMAPS: ROADMAP_COLUMNS, ACTIONS: ACTION_COLUMNS}
REQUIRED = {ROADMAPS: ROADMAP_REQUIRED, ACTIONS: ACTION_REQUIRED}
SHEET_NAMES = {ROADMAPS: {"roadmaps", "hojas de ruta"}, ACTIONS: {"actions", "acciones"}}
LIST_SPLIT = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class Plan:
    """One row that will become one object."""

    row: int
    values: dict
    relations: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    roadmaps: list[Plan] = field(default_factory=list)
    actions: list[Plan] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportError_(Exception):
    """The file cannot be read at all (not a spreadsheet, no known sheet, missing columns)."""


# Reading -------------------------------------------------------------------------------------------


def _header(value) -> str:
    return re.sub(r"\s+", "_", str(value or "").strip().lower())


def _rows_from_matrix(matrix) -> list[tuple[int, dict]]:
    """[(row number as the spreadsheet shows it, {column: value})], blank rows left out."""
    iterator = iter(matrix)
    try:
        headers = [_header(cell) for cell in next(iterator)]
    except StopIteration:
        return []
    rows = []
    for number, cells in enumerate(iterator, start=2):
        values = {}
        for name, cell in zip(headers, cells, strict=False):
            if name:
                values[name] = cell.strip() if isinstance(cell, str) else cell
        if any(value not in (None, "") for value in values.values()) and not is_comment_row(cells):
            rows.append((number, values))
    return [("__headers__", headers), *rows]


def read_tables(data: bytes, filename: str, kind: str | None) -> dict[str, list]:
    """{kind: [("__headers__", headers), (row, values), ...]} for the tables the file holds."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged file
            raise ImportError_(_("This file is not a readable XLSX workbook.")) from error
        tables = {}
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower()
            for known, names in SHEET_NAMES.items():
                if name in names:
                    tables[known] = _rows_from_matrix(sheet.iter_rows(values_only=True))
        if not tables and kind and workbook.worksheets:
            tables[kind] = _rows_from_matrix(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        if not tables:
            raise ImportError_(
                _('No sheet named "roadmaps" or "actions": name the sheets, or choose what the file holds.')
            )
        return tables
    if filename.lower().endswith(".csv"):
        if kind not in KINDS:
            raise ImportError_(_("Choose whether the CSV file holds roadmaps or actions."))
        return {kind: _rows_from_matrix(csv_rows(decode_csv(data)))}
    raise ImportError_(_("Upload an .xlsx or a .csv file."))


# Cell parsers: each returns the value or raises ValueError with the reason ---------------------------


def parse_text(value) -> str:
    return cell_text(value)


def parse_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text})


def parse_percent(value) -> int:
    if value in (None, ""):
        return 0
    return parse_whole_number(value, minimum=0, maximum=100)


def parse_list(value) -> list[str]:
    text = parse_text(value)
    return [item.strip() for item in LIST_SPLIT.split(text) if item.strip()]


def parse_choice(value, choices, default):
    text = parse_text(value)
    if not text:
        return default
    code = choice_lookup(choices).get(normalise_label(text))
    if code is not None:
        return code
    allowed = ", ".join(code for code, _label in choices.choices)
    raise ValueError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})


# Validation ------------------------------------------------------------------------------------------


class Lookups:
    """The reference rows a file may name, loaded once per import."""

    def __init__(self):
        self.countries = {c.code: c for c in Country.objects.all()}
        self.objectives = {o.number: o for o in Objective.objects.all()}
        self.principles = {p.letter: p for p in GuidingPrinciple.objects.all()}
        self.organizations = {o.key.lower(): o for o in Organization.objects.all()}
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.forums = {f.key: f for f in Forum.objects.all()}


class RowChecker:
    """Collects the errors of one row, cell by cell."""

    def __init__(self, sheet: str, row: int, values: dict, errors: list[RowError]):
        self.sheet, self.row, self.values, self.errors = sheet, row, values, errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.sheet, self.row, column, str(message)))

    def cell(self, column, parser=parse_text, required=False, max_length=None):
        raw = self.values.get(column)
        try:
            value = parser(raw)
        except ValueError as error:
            self.error(column, str(error))
            return None
        if required and value in (None, "", []):
            self.error(column, _("This column is required."))
            return None
        if max_length and isinstance(value, str) and len(value) > max_length:
            self.error(column, _("At most %(max)d characters.") % {"max": max_length})
            return None
        return value

    def refs(self, column, table: dict, describe, normalise=str.upper, required=False) -> list:
        items = self.cell(column, parse_list, required=required) or []
        found = []
        for item in items:
            key = normalise(item)
            if key in table:
                found.append(table[key])
            else:
                self.error(column, describe(item))
        return found


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


def _check_title_fields(check: RowChecker, values: dict, max_length: int) -> None:
    for column in ("title_en", "title_es"):
        values[column] = check.cell(column, required=True, max_length=max_length)
    for column in ("description_en", "description_es"):
        values[column] = check.cell(column) or ""


def check_roadmaps(rows, lookups: Lookups, errors: list[RowError]) -> list[Plan]:
    plans, seen = [], {}
    existing = set(Roadmap.objects.values_list("slug", flat=True))
    for number, raw in rows:
        check = RowChecker(ROADMAPS, number, raw, errors)
        values = {}
        slug = check.cell("slug", required=True, max_length=120)
        if slug:
            try:
                validate_slug(slug)
            except ValidationError:
                check.error("slug", _("Use only letters, numbers, hyphens and underscores."))
            if slug in existing:
                check.error("slug", _("A roadmap with the slug “%(slug)s” already exists.") % {"slug": slug})
            elif slug in seen:
                check.error("slug", _("Duplicate slug: row %(row)d has it too.") % {"row": seen[slug]})
            seen.setdefault(slug, number)
        values["slug"] = slug
        _check_title_fields(check, values, 250)
        theme = check.cell("theme", required=True)
        if theme:
            values["theme"] = lookups.themes.get(theme)
            if values["theme"] is None:
                check.error("theme", _("Unknown theme “%(slug)s” (use the theme's slug).") % {"slug": theme})
        forum = check.cell("forum")
        if forum:
            values["forum"] = lookups.forums.get(forum)
            if values["forum"] is None:
                check.error("forum", _("Unknown forum “%(key)s” (use the forum's key).") % {"key": forum})
        lead = check.cell("lead_country", required=True)
        if lead:
            values["lead_country"] = lookups.countries.get(lead.upper())
            if values["lead_country"] is None:
                check.error("lead_country", _unknown_country(lead))
        relations = {
            "countries": check.refs("countries", lookups.countries, _unknown_country),
            "organizations": check.refs("organizations", lookups.organizations, _unknown_organization, str.lower),
            "objectives": check.refs("objectives", lookups.objectives, _unknown_objective, _objective_key),
            "principles": check.refs("principles", lookups.principles, _unknown_principle, str.lower),
        }
        values["start_date"] = check.cell("start_date", parse_date, required=True)
        values["end_date"] = check.cell("end_date", parse_date)
        if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
            check.error("end_date", _("The end date is before the start date."))
        values["status"] = check.cell("status", lambda v: parse_choice(v, RoadmapStatus, RoadmapStatus.DRAFT))
        values["visibility"] = check.cell("visibility", lambda v: parse_choice(v, Visibility, Visibility.PUBLIC))
        plans.append(Plan(number, values, relations))
    return plans


def check_actions(rows, lookups: Lookups, roadmap_plans: list[Plan], errors: list[RowError]) -> list[Plan]:
    plans = []
    file_roadmaps = {plan.values["slug"] for plan in roadmap_plans if plan.values.get("slug")}
    db_roadmaps = {r.slug: r for r in Roadmap.objects.all()}
    db_codes = set(Action.objects.values_list("roadmap__slug", "code"))
    seen: dict[tuple[str, str], int] = {}
    for number, raw in rows:
        check = RowChecker(ACTIONS, number, raw, errors)
        values = {}
        slug = check.cell("roadmap", required=True)
        if slug and slug not in db_roadmaps and slug not in file_roadmaps:
            check.error("roadmap", _("Unknown roadmap “%(slug)s” (use the roadmap's slug).") % {"slug": slug})
        values["roadmap"] = slug
        code = check.cell("code", required=True, max_length=20)
        if slug and code:
            if (slug, code) in db_codes:
                check.error(
                    "code",
                    _("Duplicate action code: %(code)s already exists in %(slug)s.") % {"code": code, "slug": slug},
                )
            elif (slug, code) in seen:
                check.error(
                    "code",
                    _("Duplicate action code: row %(row)d has %(code)s in the same roadmap.")
                    % {"row": seen[(slug, code)], "code": code},
                )
            seen.setdefault((slug, code), number)
        values["code"] = code
        _check_title_fields(check, values, 300)
        relations = {
            "countries": check.refs("countries", lookups.countries, _unknown_country, required=True),
            "organizations": check.refs("organizations", lookups.organizations, _unknown_organization, str.lower),
            "objectives": check.refs("objectives", lookups.objectives, _unknown_objective, _objective_key),
            "depends_on": check.cell("depends_on", parse_list) or [],
        }
        values["start_date"] = check.cell("start_date", parse_date)
        values["due_date"] = check.cell("due_date", parse_date)
        if values["start_date"] and values["due_date"] and values["due_date"] < values["start_date"]:
            check.error("due_date", _("The due date is before the start date."))
        for column in ("indicator", "baseline", "target"):
            values[column] = check.cell(column, max_length=None if column == "indicator" else 250) or ""
        values["status"] = check.cell("status", lambda v: parse_choice(v, ActionStatus, ActionStatus.NOT_STARTED))
        values["percent_complete"] = check.cell("percent_complete", parse_percent)
        if values["status"] == ActionStatus.COMPLETED and values["percent_complete"] not in (None, 100):
            check.error("percent_complete", COMPLETED_MEANS_100_MESSAGE % {})
        plans.append(Plan(number, values, relations))
    # Dependencies name actions of the same roadmap, already saved or in this file.
    known = db_codes | set(seen)
    for plan in plans:
        for code in plan.relations["depends_on"]:
            if (plan.values["roadmap"], code) not in known:
                errors.append(
                    RowError(
                        ACTIONS,
                        plan.row,
                        "depends_on",
                        _("No action %(code)s in roadmap %(slug)s.") % {"code": code, "slug": plan.values["roadmap"]},
                    )
                )
    return plans


def _missing_columns(kind: str, headers: list[str], errors: list[RowError]) -> bool:
    missing = [name for name in COLUMNS[kind] if name in REQUIRED[kind] and name not in headers]
    for name in missing:
        errors.append(RowError(kind, 1, name, _("This column is missing from the header row.")))
    unknown = [name for name in headers if name and name not in COLUMNS[kind]]
    for name in unknown:
        errors.append(RowError(kind, 1, name, _("Unknown column (see the template for the column names).")))
    return bool(missing or unknown)


# Writing ---------------------------------------------------------------------------------------------


def _write(result: ImportResult, user) -> None:
    created = {}
    for plan in result.roadmaps:
        roadmap = Roadmap(**{k: v for k, v in plan.values.items() if v is not None})
        roadmap.full_clean()
        roadmap.save()
        for name, objects in plan.relations.items():
            getattr(roadmap, name).set(objects)
        created[roadmap.slug] = roadmap
    roadmaps = {r.slug: r for r in Roadmap.objects.filter(slug__in={p.values["roadmap"] for p in result.actions})}
    roadmaps.update(created)
    saved = {}
    for plan in result.actions:
        values = {k: v for k, v in plan.values.items() if v is not None}
        values["roadmap"] = roadmaps[plan.values["roadmap"]]
        action = action_save(action=Action(**values), user=user)
        action.countries.set(plan.relations["countries"])
        action.organizations.set(plan.relations["organizations"])
        # Empty: the action serves its roadmap's objectives (never copied: README "Where each rule lives").
        action.objectives.set(plan.relations["objectives"])
        # The imported status and percent are the starting state of its countries, as in the admin.
        action_progress_set_baseline(action=action, status=action.status, percent_complete=action.percent_complete)
        saved[(plan.values["roadmap"], action.code)] = action
    for plan in result.actions:
        if plan.relations["depends_on"]:
            action = saved[(plan.values["roadmap"], plan.values["code"])]
            slug = plan.values["roadmap"]
            targets = [
                saved.get((slug, code)) or Action.objects.get(roadmap__slug=slug, code=code)
                for code in plan.relations["depends_on"]
            ]
            action.depends_on.set(targets)


def run_import(data: bytes, filename: str, kind: str | None, *, user, commit: bool) -> ImportResult:
    """Check the whole file; write it (commit=True) or only try it inside a rolled-back transaction."""
    result = ImportResult()
    try:
        tables = read_tables(data, filename, kind)
    except ImportError_ as error:
        result.errors.append(RowError(kind or "", 0, "", str(error)))
        return result
    except CellError as error:  # a NUL byte, an over-long cell, a broken CSV line: where it is
        result.errors.append(RowError(kind or "", error.row, _header(error.column), error.message))
        return result
    lookups = Lookups()
    bodies = {}
    for table_kind, rows in tables.items():
        headers = rows[0][1] if rows else []
        if not rows or _missing_columns(table_kind, headers, result.errors):
            bodies[table_kind] = []
        else:
            bodies[table_kind] = rows[1:]
    result.roadmaps = check_roadmaps(bodies.get(ROADMAPS, []), lookups, result.errors)
    result.actions = check_actions(bodies.get(ACTIONS, []), lookups, result.roadmaps, result.errors)
    if result.errors:
        result.errors.sort(key=lambda e: (KINDS.index(e.sheet) if e.sheet in KINDS else 9, e.row, e.column))
        return result
    if not (result.roadmaps or result.actions):
        result.errors.append(RowError(kind or "", 0, "", _("The file holds no rows to import.")))
        return result
    try:
        with transaction.atomic():
            _write(result, user)
            if not commit:
                transaction.set_rollback(True)
    except ValidationError as error:
        # A rule only the model knows (everything we know of is checked above, cell by cell).
        result.errors.append(RowError("", 0, "", " ".join(error.messages)))
        return result
    except IntegrityError:
        result.errors.append(RowError("", 0, "", _("The database refused the file; nothing was imported.")))
        return result
    result.written = commit
    return result


# Template --------------------------------------------------------------------------------------------


# One example row per kind: its first cell starts with "#", so it can stay in the file (it is skipped).
EXAMPLES = {
    ROADMAPS: {
        "slug": "#labour-pathways",
        "title_en": "Regular labour pathways",
        "title_es": "Vías laborales regulares",
        "theme": "labour-migration",
        "lead_country": "SV",
        "countries": "SV, GT",
        "organizations": "iom; ilo",
        "objectives": "5; 18",
        "principles": "a, c",
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "status": "active",
        "visibility": "public",
    },
    ACTIONS: {
        "roadmap": "#labour-pathways",
        "code": "A1",
        "title_en": "Map recruitment agencies",
        "title_es": "Mapear agencias de reclutamiento",
        "countries": "SV",
        "start_date": "2025-02-01",
        "due_date": "2025-12-31",
        "status": "On track",
        "percent_complete": "25",
        "depends_on": "",
    },
}


def valid_values() -> list[tuple[str, list]]:
    """The values the columns accept, from the database and the choices (the template's last sheet)."""
    return [
        ("countries", [f"{c.code} — {c.name_en}" for c in Country.objects.order_by("code")]),
        ("theme", [t.slug for t in Theme.objects.order_by("slug")]),
        ("forum", [f.key for f in Forum.objects.order_by("key")]),
        ("organizations", [o.key for o in Organization.objects.order_by("key")]),
        ("objectives", [str(o.number) for o in Objective.objects.order_by("number")]),
        ("principles", [p.letter for p in GuidingPrinciple.objects.order_by("letter")]),
        ("status (roadmaps)", choice_values(RoadmapStatus)),
        ("visibility", choice_values(Visibility)),
        ("status (actions)", choice_values(ActionStatus)),
    ]


def template_response(fmt: str, kind: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS[kind])
        writer.writerow([EXAMPLES[kind].get(column, "") for column in COLUMNS[kind]])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
        return response
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_kind in KINDS:
        sheet = workbook.create_sheet(sheet_kind)
        write_sheet(sheet, COLUMNS[sheet_kind], [[EXAMPLES[sheet_kind].get(c, "") for c in COLUMNS[sheet_kind]]])
        for cell in sheet[1]:
            cell.font = Font(bold=cell.value in REQUIRED[sheet_kind])
    write_value_lists(workbook.create_sheet(VALID_VALUES_SHEET), valid_values())
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="roadmaps-import-template.xlsx"'
    return response


# The admin page --------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("spreadsheet"),
        help_text=gettext_lazy("An .xlsx workbook with sheets named “roadmaps” and/or “actions”, or one .csv file."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("the file holds"),
        choices=[(ROADMAPS, gettext_lazy("roadmaps")), (ACTIONS, gettext_lazy("actions"))],
        initial=ROADMAPS,
        help_text=gettext_lazy("Used for a CSV file, or a workbook whose sheet is not named."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an .xlsx or a .csv file."))
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


def _tmp_storage(**kwargs):
    """django-import-export's temporary storage of an uploaded file between preview and confirm.

    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS, as django-import-export names it (default: the server's
    temp folder; with several application servers, a storage they share).
    """
    return import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)(read_mode="rb", **kwargs)


def _read_stored(stored) -> bytes | None:
    if not stored or not stored.get("tmp"):
        return None
    try:
        return _tmp_storage(name=stored["tmp"]).read()
    except OSError:  # removed by the system's temp cleaning, or saved on another server
        return None


def import_view(model_admin, request):
    """Upload → dry run with a preview (or the list of errors) → confirm → written, all or nothing."""
    opts = model_admin.opts
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": _("Import roadmaps and actions"),
        "columns": COLUMNS,
        "required": REQUIRED,
        "template_xlsx": reverse("admin:roadmaps_roadmap_import_template", args=["xlsx"]),
        "template_csv_roadmaps": reverse("admin:roadmaps_roadmap_import_template", args=["csv"]) + "?kind=roadmaps",
        "template_csv_actions": reverse("admin:roadmaps_roadmap_import_template", args=["csv"]) + "?kind=actions",
    }
    status = 200
    form = ImportForm()
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(SESSION_KEY)
        data = _read_stored(stored)
        if data is None:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return HttpResponseRedirect(request.path)
        result = run_import(data, stored["name"], stored["kind"], user=request.user, commit=True)
        if result.ok:
            del request.session[SESSION_KEY]
            _tmp_storage(name=stored["tmp"]).remove()
            messages.success(
                request,
                # Two counts, each with its own plural ("Se importó 1 hoja de ruta y 3 acciones").
                ngettext("Imported %(count)d roadmap", "Imported %(count)d roadmaps", len(result.roadmaps))
                % {"count": len(result.roadmaps)}
                + " "
                + ngettext(
                    "and %(count)d action from %(name)s.", "and %(count)d actions from %(name)s.", len(result.actions)
                )
                % {"count": len(result.actions), "name": stored["name"]},
            )
            return HttpResponseRedirect(reverse("admin:roadmaps_roadmap_changelist"))
        context.update(result=result, filename=stored["name"])
        status = 400
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            result = run_import(data, upload.name, form.cleaned_data["kind"], user=request.user, commit=False)
            if result.ok:
                storage = _tmp_storage()
                storage.save(data)
                # The session holds only where the file is (it is signed server-side: not forgeable).
                request.session[SESSION_KEY] = {
                    "name": upload.name,
                    "kind": form.cleaned_data["kind"],
                    "tmp": storage.name,
                }
            else:
                status = 400
            context.update(result=result, filename=upload.name)
        else:
            status = 400
    context["form"] = form
    return TemplateResponse(request, "admin/roadmaps/import.html", context, status=status)
