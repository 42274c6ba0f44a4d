"""The review report as a spreadsheet (XLSX, one sheet per view) and as CSV (the action rows)."""

import csv
import datetime
import io
import zipfile

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from core.spreadsheets import csv_safe, write_sheet
from roadmaps.models import ActionStatus

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def action_header(source: str | None = None):
    status = _("Status") if source is None else _("Status (%(source)s)") % {"source": source}
    return [
        _("Objective"),
        _("Objective title"),
        _("Country code"),
        _("Country"),
        _("Action code"),
        _("Action"),
        _("Roadmap"),
        status,
        _("Percent complete"),
        _("Due date"),
        _("Reported on"),
        _("Latest approved narrative"),
        _("Challenges"),
    ]


def action_values(row):
    return [
        row.objective_number,
        row.objective_title,
        row.country_code,
        row.country_name,
        row.action_code,
        row.action_title,
        row.roadmap_title,
        row.status_label,
        row.percent_complete,
        row.due_date,
        row.reported_on,
        row.narrative,
        row.challenges,
    ]


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


def review_xlsx(
    *, picture, countries, rows, filename, source: str, stamp=None, indicators=(), cycle_key=None, indicator_scope=""
):
    """The three sheets, and a fourth of the indicators when the report's actions have any. `source` says
    where the statuses come from (in the status column's header); `stamp` — a frozen cycle's close time —
    is written as the file's creation and modification time, so that the same snapshot downloads to the
    same bytes."""
    workbook = Workbook()
    by_objective = workbook.active
    by_objective.title = _("By objective")[:31]
    write_sheet(by_objective, *objective_sheet(picture))
    write_sheet(workbook.create_sheet(_("By country")[:31]), *country_sheet(countries))
    write_sheet(workbook.create_sheet(_("Actions")[:31]), action_header(source), (action_values(r) for r in rows))
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
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the accents as UTF-8
    writer = csv.writer(response)
    writer.writerow(action_header(source))
    for row in rows:
        writer.writerow(["" if v is None else csv_safe(v) for v in action_values(row)])
    return response


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
