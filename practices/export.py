"""The catalogue for the regional review report: a section per GCM objective, as XLSX or CSV.

A practice serving several objectives appears in each of their sections (the report is read by
objective). Practices without an objective come last, in their own section.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.spreadsheets import csv_safe, make_text_cell
from gcm.models import Objective


def _columns():
    return [
        (_("Title"), lambda p: p.title),
        (_("Countries"), lambda p: ", ".join(c.name for c in p.countries.all())),
        (_("Summary"), lambda p: p.summary),
        (_("Period"), _period),
        (_("Guiding principles"), lambda p: ", ".join(f"({g.letter}) {g.name}" for g in p.principles.all())),
        (_("Partners"), lambda p: ", ".join(str(o) for o in p.partners.all())),
        (_("Actions it came from"), lambda p: ", ".join(f"{a.roadmap.slug}/{a.code}" for a in p.actions.all())),
        (_("What was done"), lambda p: p.what_was_done),
        (_("Results"), lambda p: p.results),
        (_("Lessons learned"), lambda p: p.lessons_learned),
        (_("What others need to replicate it"), lambda p: p.replication_needs),
        (_("Links"), lambda p: "\n".join(p.link_list)),
        (_("Contact (position or office)"), lambda p: p.contact_role),
        (_("Published"), lambda p: p.published_at.date().isoformat() if p.published_at else ""),
        (_("Page"), None),
    ]


def _period(practice) -> str:
    start = practice.start_date.isoformat() if practice.start_date else ""
    end = practice.end_date.isoformat() if practice.end_date else ""
    return f"{start} – {end}" if (start or end) else ""


def sections(practices) -> list[tuple[str, list]]:
    """[(section heading, practices)] in objective order; objectives without practices are left out."""
    by_objective: dict[int, list] = {}
    unlinked = []
    objectives: dict[int, Objective] = {}
    for practice in practices:
        linked = list(practice.objectives.all())
        if not linked:
            unlinked.append(practice)
        for objective in linked:
            objectives[objective.number] = objective
            by_objective.setdefault(objective.number, []).append(practice)
    result = [
        (_("Objective %(number)s. %(title)s") % {"number": n, "title": objectives[n].title}, by_objective[n])
        for n in sorted(by_objective)
    ]
    if unlinked:
        result.append((_("Not linked to a GCM objective"), unlinked))
    return result


def _cells(practice, columns, page_url) -> list[str]:
    return [page_url(practice) if getter is None else getter(practice) for _label, getter in columns]


def to_xlsx(practices, *, page_url) -> bytes:
    columns = _columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Good practices")[:31]
    sheet.append([_("Good practices and lessons learned, by GCM objective")])
    sheet["A1"].font = Font(bold=True, size=14)
    for heading, rows in sections(practices):
        sheet.append([])
        sheet.append([heading])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append([label for label, _getter in columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for practice in rows:
            sheet.append(_cells(practice, columns, page_url))
            for cell in sheet[sheet.max_row]:
                make_text_cell(cell)  # written by a user, never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = (40, 20, 50, 22, 30, 20, 20, 50, 50, 50, 40, 40, 25, 12, 40)
    for letter, width in zip("ABCDEFGHIJKLMNO", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(practices, *, page_url) -> str:
    columns = _columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Section"), *(label for label, _getter in columns)])
    for heading, rows in sections(practices):
        for practice in rows:
            writer.writerow([heading, *(csv_safe(value) for value in _cells(practice, columns, page_url))])
    return buffer.getvalue()
