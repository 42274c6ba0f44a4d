"""The secretariat's import in the admin: the template to fill in (an example row per sheet and a
sheet of valid values) and the page (upload → preview → confirm). The import itself, the file read and
the resources run in one transaction, is roadmaps.imports.run_import."""

import csv
import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.spreadsheets import VALID_VALUES_SHEET, XLSX_CONTENT_TYPE, choice_values, write_sheet, write_value_lists
from countries.models import Country
from gcm.models import Forum, GuidingPrinciple, Objective, Organization
from roadmaps.imports import (
    ACTIONS,
    COLUMNS,
    INDICATORS,
    KINDS,
    MAX_BYTES,
    REQUIRED,
    ROADMAPS,
    SESSION_KEY,
    run_import,
)
from roadmaps.models import ActionStatus, RoadmapStatus, Theme, Visibility
from roadmaps.models.choices import CountryCombine, CycleCombine, Direction, IndicatorUnit
from roadmaps.models.disaggregation import CATEGORIES

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
    INDICATORS: {
        "roadmap": "#labour-pathways",
        "action": "A1",
        "code": "I1",
        "name_en": "Recruitment agencies mapped",
        "name_es": "Agencias de reclutamiento mapeadas",
        "unit": "number",
        "baseline_value": "0",
        "target_value": "40",
        "direction": "increase",
        "cycle_combine": "sum",
        "country_combine": "sum",
        "dimensions": "",
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
        ("unit", choice_values(IndicatorUnit)),
        ("direction", choice_values(Direction)),
        ("cycle_combine", choice_values(CycleCombine)),
        ("country_combine", choice_values(CountryCombine)),
        ("dimensions", [f"{dimension} ({', '.join(CATEGORIES[dimension])})" for dimension in CATEGORIES]),
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
        help_text=gettext_lazy(
            "An .xlsx workbook with sheets named “roadmaps”, “actions” and/or “indicators”, or one .csv file."
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("the file holds"),
        choices=[
            (ROADMAPS, gettext_lazy("roadmaps")),
            (ACTIONS, gettext_lazy("actions")),
            (INDICATORS, gettext_lazy("indicators")),
        ],
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
        "template_csv_indicators": reverse("admin:roadmaps_roadmap_import_template", args=["csv"]) + "?kind=indicators",
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
            if result.indicators:
                messages.success(
                    request,
                    ngettext("Imported %(count)d indicator.", "Imported %(count)d indicators.", len(result.indicators))
                    % {"count": len(result.indicators)},
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
