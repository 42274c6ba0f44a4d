"""The catalogue for the regional review report: a section per GCM objective, as XLSX or CSV, its
columns declared once as an import-export Resource.

A practice serving several objectives appears in each of their sections (the report is read by
objective). Practices without an objective come last, in their own section.
"""

import io

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.exports import column, csv_text
from core.spreadsheets import make_text_cell
from gcm.models import Objective
from practices.models import GoodPractice
from practices.services import STORY_FIELDS


class PracticeResource(resources.ModelResource):
    """The catalogue's columns, in the active language; `page_url(practice)` gives the "Page" link."""

    title = column(gettext_lazy("Title"), "title")
    countries = column(gettext_lazy("Countries"))
    summary = column(gettext_lazy("Summary"), "summary")
    period = column(gettext_lazy("Period"))
    principles = column(gettext_lazy("Guiding principles"))
    partners = column(gettext_lazy("Partners"))
    actions = column(gettext_lazy("Actions it came from"))
    what_was_done = column(gettext_lazy("What was done"), "what_was_done")
    results = column(gettext_lazy("Results"), "results")
    lessons_learned = column(gettext_lazy("Lessons learned"), "lessons_learned")
    replication_needs = column(gettext_lazy("What others need to replicate it"), "replication_needs")
    links = column(gettext_lazy("Links"))
    contact_role = column(gettext_lazy("Contact (position or office)"), "contact_role")
    published = column(gettext_lazy("Published"))
    page = column(gettext_lazy("Page"))

    class Meta:
        model = GoodPractice
        fields = export_order = (
            "title",
            "countries",
            "summary",
            "period",
            "principles",
            "partners",
            "actions",
            *STORY_FIELDS,
            "published",
            "page",
        )

    def __init__(self, *, page_url, **kwargs):
        super().__init__(**kwargs)
        self.page_url = page_url

    def dehydrate_countries(self, practice):
        return ", ".join(c.name for c in practice.countries.all())

    def dehydrate_period(self, practice):
        start = practice.start_date.isoformat() if practice.start_date else ""
        end = practice.end_date.isoformat() if practice.end_date else ""
        return f"{start} – {end}" if (start or end) else ""

    def dehydrate_principles(self, practice):
        return ", ".join(f"({g.letter}) {g.name}" for g in practice.principles.all())

    def dehydrate_partners(self, practice):
        return ", ".join(str(o) for o in practice.partners.all())

    def dehydrate_actions(self, practice):
        return ", ".join(f"{a.roadmap.slug}/{a.code}" for a in practice.actions.all())

    def dehydrate_links(self, practice):
        return "\n".join(practice.link_list)

    def dehydrate_published(self, practice):
        return practice.published_at.date().isoformat() if practice.published_at else ""

    def dehydrate_page(self, practice):
        return self.page_url(practice)


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


def to_xlsx(practices, *, page_url) -> bytes:
    resource = PracticeResource(page_url=page_url)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Good practices")[:31]
    sheet.append([_("Good practices and lessons learned, by GCM objective")])
    sheet["A1"].font = Font(bold=True, size=14)
    # A section per objective, each with its own header: the rows of the Resource under a heading
    # (import-export writes one table per sheet, so the layout is ours).
    for heading, rows in sections(practices):
        dataset = resource.export(rows)
        sheet.append([])
        sheet.append([heading])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append(dataset.headers)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for values in dataset:
            sheet.append(list(values))
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
    """One table: the section's heading in a first column, then the Resource's columns."""
    resource = PracticeResource(page_url=page_url)
    combined = tablib.Dataset(headers=[_("Section"), *resource.get_export_headers()])
    for heading, rows in sections(practices):
        for values in resource.export(rows):
            combined.append([heading, *values])
    return csv_text(combined)
