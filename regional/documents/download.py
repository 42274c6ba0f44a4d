"""The two document downloads: what the views call once they have the viewer's filters.

The review document is given the very objects the view gives the XLSX export (picture, country
summary, rows); the country document computes them with the same selectors, for its country.
"""

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from regional import audience, selectors
from regional.documents import content, report


def _response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=report.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.docx"'
    return response


def _scope(filters: selectors.ReviewFilters, countries, objective_number) -> list[str]:
    """The filters in words (the same sentences as the report page's)."""
    if filters.date_from or filters.date_to:
        period = _("Period: %(start)s – %(end)s.") % {
            "start": formats.date_format(filters.date_from, "DATE_FORMAT") if filters.date_from else "…",
            "end": formats.date_format(filters.date_to, "DATE_FORMAT") if filters.date_to else "…",
        }
    else:
        period = _("Period: all dates.")
    lines = [period]
    if countries:
        lines.append(f"{_('Countries:')} {', '.join(c.name for c in countries)}.")
    else:
        lines.append(_("Countries: all."))
    if objective_number is not None:
        lines.append(_("Detailed rows of objective %(number)s only.") % {"number": objective_number})
    return lines


def _meta(request, title, scope, *, status_line="", provenance="") -> report.DocumentMeta:
    return report.DocumentMeta(
        title=title,
        address=request.build_absolute_uri(),
        anonymous=not audience.figures_viewer(request).is_authenticated,
        generated=timezone.localtime(),
        scope=scope,
        status_line=status_line,
        provenance=provenance,
    )


def _extras(request, actions, filters):
    only_country = filters.country_ids[0] if filters.country_ids and len(filters.country_ids) == 1 else None
    return content.extras(
        audience.figures_viewer(request), actions, objective_number=filters.objective_number, country_id=only_country
    )


def review_docx(
    request, *, actions, picture, countries, rows, filters, chosen_countries, filename, status_line="", provenance=""
) -> HttpResponse:
    """`/review/?format=docx`: `picture`, `countries` and `rows` are those the XLSX export is given;
    `status_line` and `provenance` say where the statuses come from (today, a day, a snapshot)."""
    meta = _meta(
        request,
        _("Regional review report"),
        _scope(filters, chosen_countries, filters.objective_number),
        status_line=status_line,
        provenance=provenance,
    )
    body = report.review_document(
        picture=picture, countries=countries, rows=rows, extras=_extras(request, actions, filters), meta=meta
    )
    return _response(body, filename)


def country_docx(request, *, country, filters) -> HttpResponse:
    """`/countries/<code>/report.docx`: the report's figures and rows for the country's actions only."""
    viewer = audience.figures_viewer(request)  # the public's eyes when a signed-in person asks
    actions = selectors.review_actions(viewer, filters)
    picture = selectors.regional_picture(actions, country_ids=filters.country_ids)
    summary = selectors.country_rows(actions, country_ids=filters.country_ids)
    rows = selectors.review_rows(viewer, filters)
    title = _("%(country)s: contribution to the GCM roadmaps") % {"country": country.name}
    meta = _meta(request, title, _scope(filters, [country], filters.objective_number))
    body = report.country_document(
        picture=picture,
        countries=summary,
        rows=rows,
        extras=_extras(request, actions, filters),
        meta=meta,
        contacts=content.contacts(viewer, country),
        practices=content.country_practices(viewer, country),
    )
    return _response(body, f"gcm-{country.code.lower()}-contribution-{timezone.localdate().isoformat()}")
