"""The two document downloads: what the views call once they have the viewer's filters.

Both compute their figures with `regional.report.review_parts`, the function the page and the XLSX
export use, for the same filters and source (today, as of a day, a closed cycle's snapshot); the
country document's filters are the country's. The sections' rows are streamed (see `word.Writer`).
"""

from dataclasses import replace

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from regional import audience, review_rows
from regional import report as report_rows
from regional.documents import content, report
from regional.indicators import chosen_label, review_indicator_rows


def _response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=report.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.docx"'
    return response


def _scope(filters: review_rows.ReviewFilters, countries, objective_number) -> list[str]:
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


def _in_document_order(rows: list) -> list:
    """A frozen or as-of report's rows (report order: objective, country, action) in the documents'
    order (objective, roadmap, action; an action's countries kept in the report's order)."""
    return sorted(rows, key=lambda r: (r.objective_number, r.roadmap_title, r.action_code, r.action_id))


def _parts(request, filters, source, chosen_countries=()):
    """(picture, country summary, Extras, chunks): the XLSX's figures and rows for these filters.

    Today's rows are streamed from the database (`iter_review_rows`); a frozen or as-of report's are
    the list its summaries are computed from (`regional.report.review_parts`)."""
    viewer = audience.figures_viewer(request)  # the public's eyes when a signed-in person asks
    actions = review_rows.review_actions(viewer, filters)
    rows, picture, countries = report_rows.review_parts(viewer, filters, source, actions)
    if isinstance(rows, report_rows.RowsPage):
        ordered = _in_document_order(rows.rows)
    else:
        ordered = review_rows.iter_review_rows(viewer, filters)
    only_country = filters.country_ids[0] if filters.country_ids and len(filters.country_ids) == 1 else None
    extras = replace(
        content.extras(viewer, objective_number=filters.objective_number, country_id=only_country),
        indicator_scope=chosen_label(chosen_countries),
    )
    chunks = content.action_chunks(
        viewer, ordered, extras, cycle=source.cycle, as_of=source.status_day, countries=filters.country_ids
    )
    return picture, countries, extras, chunks


def _provenance(source) -> dict:
    """The title page's status line and the footer's words: a snapshot's key and close time, or the
    day the statuses are read on; today's report says "Live data" in its footer."""
    dated = source.frozen or source.status_day is not None
    return {"status_line": source.label, "provenance": source.label if dated else ""}


def review_docx(request, *, filters, chosen_countries, source, filename) -> HttpResponse:
    """`/review/?format=docx`: the figures and rows the XLSX export has for the same filters; `source`
    (today, a day, a cycle's snapshot) is said on the title page and, for a snapshot, in the footer."""
    picture, countries, extras, chunks = _parts(request, filters, source, chosen_countries)
    meta = _meta(
        request,
        _("Regional review report"),
        _scope(filters, chosen_countries, filters.objective_number),
        **_provenance(source),
    )
    body = report.review_document(
        picture=picture,
        countries=countries,
        chunks=chunks,
        extras=extras,
        meta=meta,
        indicators=review_indicator_rows(
            review_rows.review_actions(audience.figures_viewer(request), filters),
            source.cycle,
            as_of=source.status_day,
            countries=filters.country_ids,
        ),
        cycle_key=source.cycle.key if source.cycle else None,
    )
    return _response(body, filename)


def country_docx(request, *, country, filters, source) -> HttpResponse:
    """`/countries/<code>/report.docx`: the report's figures and rows for the country's actions only,
    today, as of a day or in a closed cycle's snapshot."""
    viewer = audience.figures_viewer(request)  # the public's eyes when a signed-in person asks
    picture, summary, extras, chunks = _parts(request, filters, source, [country])
    title = _("%(country)s: contribution to the GCM roadmaps") % {"country": country.name}
    meta = _meta(request, title, _scope(filters, [country], filters.objective_number), **_provenance(source))
    body = report.country_document(
        picture=picture,
        countries=summary,
        chunks=chunks,
        extras=extras,
        meta=meta,
        contacts=content.contacts(viewer, country),
        practices=content.country_practices(viewer, country),
        cycle_key=source.cycle.key if source.cycle else None,
    )
    stamp = source.cycle.key if source.frozen else (source.status_day or timezone.localdate()).isoformat()
    return _response(body, f"gcm-{country.code.lower()}-contribution-{stamp}")
