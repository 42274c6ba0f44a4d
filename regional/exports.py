"""The review report as a spreadsheet (XLSX, one sheet per view) and as CSV (the action rows).

The action rows come from an import-export Resource (`ReviewRowResource`), in the CSV and in the
workbook's "Actions" sheet. The workbook itself stays ours: import-export writes one Dataset per file,
while the report is several sheets (the summaries are per-request tables, not rows of a model), and a
frozen cycle's file must download to the same bytes, which needs the dates inside the archive set by
hand (`_zip_at`).
"""

import datetime
import io
import zipfile

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from import_export import fields, resources
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from core.exports import NativeWidget, dataset_response
from core.spreadsheets import write_sheet
from roadmaps.models import ActionStatus

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row_column(attribute, title) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=title, widget=NativeWidget())


class ReviewRowResource(resources.Resource):
    """The report's action rows (regional.review_rows.ReviewRow, live or from a frozen snapshot): one
    column per attribute, values kept as they are (numbers and dates stay numbers and dates in XLSX).
    `source` says where the statuses come from, in the status column's title."""

    objective_number = _row_column("objective_number", gettext_lazy("Objective"))
    objective_title = _row_column("objective_title", gettext_lazy("Objective title"))
    country_code = _row_column("country_code", gettext_lazy("Country code"))
    country_name = _row_column("country_name", gettext_lazy("Country"))
    action_code = _row_column("action_code", gettext_lazy("Action code"))
    action_title = _row_column("action_title", gettext_lazy("Action"))
    roadmap_title = _row_column("roadmap_title", gettext_lazy("Roadmap"))
    status_label = _row_column("status_label", gettext_lazy("Status"))
    percent_complete = _row_column("percent_complete", gettext_lazy("Percent complete"))
    due_date = _row_column("due_date", gettext_lazy("Due date"))
    reported_on = _row_column("reported_on", gettext_lazy("Reported on"))
    narrative = _row_column("narrative", gettext_lazy("Latest approved narrative"))
    challenges = _row_column("challenges", gettext_lazy("Challenges"))

    class Meta:
        export_order = (
            "objective_number",
            "objective_title",
            "country_code",
            "country_name",
            "action_code",
            "action_title",
            "roadmap_title",
            "status_label",
            "percent_complete",
            "due_date",
            "reported_on",
            "narrative",
            "challenges",
        )

    def __init__(self, *, source: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if source is not None:
            self.fields["status_label"].column_name = _("Status (%(source)s)") % {"source": source}


def objective_sheet(picture):
    header = [_("Objective"), _("Title"), _("Actions"), _("Countries"), _("Mean percent")]
    rows = [[r.objective.number, r.objective.title, r.actions, r.countries, r.mean_percent] for r in picture.objectives]
    return header, rows


def country_sheet(countries):
    header = [
        _("Country code"),
        _("Country"),
        _("Actions"),
        pgettext("count", "Completed"),
        pgettext("count", "Overdue"),
        _("Mean percent"),
    ]
    rows = [[c["code"], c["name"], c["actions"], c["completed"], c["overdue"], c["mean_percent"]] for c in countries]
    return header, rows


def indicator_sheet(indicators, cycle_key=None, scope=""):
    """The page's indicators table (regional.indicators.review_indicator_rows): with a cycle, its value;
    for chosen countries, the figures' headers say whose they are (`scope`: their codes)."""
    header = [_("Action code"), _("Indicator code"), _("Indicator")]
    if cycle_key:
        header.append(_("Value in %(key)s") % {"key": cycle_key})
    header += [_("Cumulative"), _("Target"), _("Percent of the way to the target")]
    if scope:
        header = header[:3] + [_("%(figure)s (%(countries)s)") % {"figure": h, "countries": scope} for h in header[3:]]
    rows = [
        [
            r["action_code"],
            r["code"],
            str(r["name"]),
            *([r["cycle_value"]] if cycle_key else []),
            r["actual"],
            r["target"],
            r["percent"],
        ]
        for r in indicators
    ]
    return header, rows


def review_xlsx(picture, countries, rows, *, source, indicators=(), indicator_scope=""):
    """The three sheets, and a fourth of the indicators when the report's actions have any. `source` (a
    `regional.report.ReportSource`) says where the statuses come from (in the status column's header)
    and names the file; a frozen cycle's close time (`source.stamp`) is written as the file's creation
    and modification time, so that the same snapshot downloads to the same bytes."""
    stamp, cycle_key = source.stamp, source.cycle.key if source.cycle else None
    workbook = Workbook()
    by_objective = workbook.active
    by_objective.title = _("By objective")[:31]
    write_sheet(by_objective, *objective_sheet(picture))
    write_sheet(workbook.create_sheet(_("By country")[:31]), *country_sheet(countries))
    actions = ReviewRowResource(source=source.label).export(rows)
    write_sheet(workbook.create_sheet(_("Actions")[:31]), actions.headers, actions)
    if indicators:
        write_sheet(
            workbook.create_sheet(_("Indicators")[:31]), *indicator_sheet(indicators, cycle_key, indicator_scope)
        )
    buffer = io.BytesIO()
    if stamp is None:
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        moment = stamp.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
        workbook.properties.created = moment
        archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
        workbook.properties.modified = moment
        ExcelWriter(workbook, archive).save()  # workbook.save() would stamp `modified` with now
        content = _zip_at(buffer.getvalue(), moment)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{source.file_name}.xlsx"'
    return response


def _zip_at(content: bytes, moment: datetime.datetime) -> bytes:
    """The same archive with every entry dated `moment` (a zip records each file's time of writing)."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, source.read(info.filename))
    return target.getvalue()


def review_csv(*, rows, filename, source: str) -> HttpResponse:
    dataset = ReviewRowResource(source=source).export(rows)
    return dataset_response(dataset, "csv", filename=filename)


def compare_xlsx(rows, *, before: str, after: str, indicators=()) -> HttpResponse:
    """Compare as a spreadsheet: one row per (action, country), with the delta columns; and a sheet of the
    indicators' cumulative and percent before → after (regional.indicators.compare_indicator_rows)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Compare")[:31]
    header = [
        _("Country code"),
        _("Roadmap"),
        _("Action code"),
        _("Change"),
        _("Status in %(cycle)s") % {"cycle": before},
        _("Status in %(cycle)s") % {"cycle": after},
        _("Percent in %(cycle)s") % {"cycle": before},
        _("Percent in %(cycle)s") % {"cycle": after},
        _("Percent change"),
    ]
    labels = dict(ActionStatus.choices)
    changes = dict(CHANGE_LABELS)
    values = [
        [
            r["country_code"],
            r["roadmap_slug"],
            r["action_code"],
            str(changes[r["change"]]),
            str(labels.get(r["status_before"], "")) if r["status_before"] else None,
            str(labels.get(r["status_after"], "")) if r["status_after"] else None,
            r["percent_before"],
            r["percent_after"],
            r["percent_delta"],
        ]
        for r in rows
    ]
    write_sheet(sheet, header, values)
    if indicators:
        write_sheet(
            workbook.create_sheet(_("Indicators")[:31]),
            [
                _("Action code"),
                _("Indicator code"),
                _("Indicator"),
                _("Cumulative in %(cycle)s") % {"cycle": before},
                _("Cumulative in %(cycle)s") % {"cycle": after},
                _("Cumulative change"),
                _("Percent of the way in %(cycle)s") % {"cycle": before},
                _("Percent of the way in %(cycle)s") % {"cycle": after},
                _("Percent change"),
            ],
            [
                [
                    r["action_code"],
                    r["indicator_code"],
                    str(r["name"]),
                    r["cumulative_before"],
                    r["cumulative_after"],
                    r["cumulative_delta"],
                    r["percent_before"],
                    r["percent_after"],
                    r["percent_delta"],
                ]
                for r in indicators
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="gcm-compare-{before}-{after}.xlsx"'
    return response


CHANGE_LABELS = (
    ("added", pgettext_lazy("compare", "Added")),
    ("removed", pgettext_lazy("compare", "Removed")),
    ("changed", pgettext_lazy("compare", "Changed")),
    ("unchanged", pgettext_lazy("compare", "Unchanged")),
)
