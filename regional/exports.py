"""The review report as a spreadsheet (XLSX, one sheet per view) and as CSV (the action rows)."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from core.spreadsheets import csv_safe, write_sheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def action_header():
    return [
        _("Objective"),
        _("Objective title"),
        _("Country code"),
        _("Country"),
        _("Action code"),
        _("Action"),
        _("Roadmap"),
        _("Status"),
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


def review_xlsx(*, picture, countries, rows, filename) -> HttpResponse:
    workbook = Workbook()
    by_objective = workbook.active
    by_objective.title = _("By objective")[:31]
    write_sheet(by_objective, *objective_sheet(picture))
    write_sheet(workbook.create_sheet(_("By country")[:31]), *country_sheet(countries))
    write_sheet(workbook.create_sheet(_("Actions")[:31]), action_header(), (action_values(r) for r in rows))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def review_csv(*, rows, filename) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the accents as UTF-8
    writer = csv.writer(response)
    writer.writerow(action_header())
    for row in rows:
        writer.writerow(["" if v is None else csv_safe(v) for v in action_values(row)])
    return response
