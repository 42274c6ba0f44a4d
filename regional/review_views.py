"""The regional review report (`/review/`, its downloads) and a country's Word document. Thin: validate
the filters, read the rows (`review_rows`) and summaries (`report.review_parts`), render or download.
"""

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core import figures_cache
from countries.models import Country
from regional import audience, documents, exports, report, review_rows
from regional.forms import ReviewFilterForm
from regional.indicators import chosen_label, review_indicator_rows
from regional.presentation import group_review_rows


def country_report(request, code):
    """`/countries/<code>/report.docx`: the review report's filters (period, objective, `as_of`,
    `cycle`) for one country."""
    country = get_object_or_404(Country, code=code.upper())
    form = ReviewFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        errors = "; ".join(f"{name}: {' '.join(messages_)}" for name, messages_ in form.errors.items())
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    filters = _review_filters(form)[0] if form.is_bound else review_rows.ReviewFilters()
    filters.country_ids = [country.id]  # the country of the address, whatever `countries` says
    cycle = form.cleaned_data["cycle"] if form.is_bound else None
    source = report.ReportSource(cycle=cycle, status_day=None if cycle else filters.status_day)
    return documents.country_docx(request, country=country, filters=filters, source=source)


def _review_filters(form):
    data = form.cleaned_data
    countries = list(data["countries"])
    objective = data["objective"]
    return review_rows.ReviewFilters(
        date_from=data["date_from"],
        date_to=data["date_to"],
        country_ids=[c.id for c in countries] or None,
        objective_number=objective.number if objective else None,
        as_of=data["as_of"],
    ), countries


def _objective_links(picture, rows, query):
    """(summary row, link) per objective with actions: the report page where the objective's rows start.

    The link keeps the period and countries but not the objective filter, so the reader lands in the
    whole report and the pager goes on to the next objectives (the filter is there to see one alone).
    """
    base = query.copy()
    for name in ("page", "objective"):
        base.pop(name, None)
    first_pages = rows.first_pages()
    links = []
    for row in picture.objectives:
        if not row.actions:
            continue
        href = None
        page = first_pages.get(row.objective.number)
        if page is not None:  # an objective whose actions have no responsible country has no detail rows
            link = base.copy()
            if page > 1:
                link["page"] = page
            href = f"?{link.urlencode()}#objective-{row.objective.number}"
        links.append((row, href))
    return links


def review(request):
    """The review report: filters, two summary tables, and the detail rows 100 to a page.

    Statuses are today's, or as of a day (`as_of`, by default the end of a period), or a closed
    cycle's frozen snapshot (`cycle`); the page and the downloads say which. `?format=xlsx|csv`
    downloads the whole report (every row matching the filters, same rows and order as the pages put
    together); `?format=docx` the same report as a Word document (regional.documents). The page's body
    is rendered once per change of the data the viewer may see, per query string and language
    (core.figures_cache).
    """
    form = ReviewFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        body = render_to_string("regional/_review_body.html", {"form": form, "groups": []}, request)
        return render(request, "regional/review.html", {"body": body}, status=400)
    if form.is_bound:
        filters, countries = _review_filters(form)
        cycle = form.cleaned_data["cycle"]
    else:
        (filters, countries), cycle = (review_rows.ReviewFilters(), []), None
    source = report.ReportSource(cycle=cycle, status_day=None if cycle else filters.status_day)
    export = request.GET.get("format")
    if export and export not in ("xlsx", "csv", "docx"):
        return HttpResponseBadRequest(_("Unknown format: choose xlsx, csv or docx."))
    actions = review_rows.review_actions(audience.figures_viewer(request), filters)
    if export:
        return _review_download(request, export, filters, countries, source, actions)

    # Keyed by the visible, filtered actions' SQL (the viewer's visibility) and the whole query string.
    body = figures_cache.rendered_body(
        request,
        "regional.review",
        (actions,),
        "regional/_review_body.html",
        lambda: _review_context(request, form, filters, countries, actions, source),
    )
    return render(request, "regional/review.html", {"body": body, "audience": audience.audience(request)})


def _review_download(request, export, filters, chosen_countries, source, actions):
    if export == "docx":
        # The Word document has the same figures and rows as the spreadsheet (regional.documents).
        return documents.review_docx(
            request, filters=filters, chosen_countries=chosen_countries, source=source, filename=source.file_name
        )
    viewer = audience.figures_viewer(request)  # the public's eyes when a signed-in person asks
    rows, picture, countries = report.review_parts(viewer, filters, source, actions)
    all_rows = rows.rows if isinstance(rows, report.RowsPage) else review_rows.review_rows(viewer, filters)
    if export == "csv":
        return exports.review_csv(rows=all_rows, filename=source.file_name, source=source.label)
    indicators = review_indicator_rows(actions, source.cycle, as_of=source.status_day, countries=filters.country_ids)
    scope = ", ".join(c.code for c in chosen_countries)
    return exports.review_xlsx(
        picture, countries, all_rows, source=source, indicators=indicators, indicator_scope=scope
    )


def _filters_html(request, form, public_view: bool) -> str:
    """The filters form, rendered once per choice of filters and language until the data changes:
    every page of a report shows the same form (issue 22: its 35 country boxes and five fields,
    through Django's widget templates, cost 20–30 ms of each report page's first rendering). The
    form holds nothing of the viewer's; it is bound and valid here (a bad one is rendered afresh)."""
    chosen = sorted((name, tuple(values)) for name, values in request.GET.lists() if name not in ("page", "format"))
    return figures_cache.get_or_compute(
        "regional.review-filters",
        (chosen, public_view),
        lambda: render_to_string("regional/_review_filters.html", {"form": form, "public_view": public_view}),
    )


def _review_context(request, form, filters, countries, actions, source):
    rows, picture, country_rows = report.review_parts(audience.figures_viewer(request), filters, source, actions)
    public_view = audience.figures_viewer(request) is not request.user
    page = Paginator(rows, review_rows.REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("format", None)
    page_query = query.copy()
    page_query.pop("page", None)
    return {
        "form": form,
        "filters": filters,
        "source": source,
        "chosen_countries": countries,
        "chosen_objective": form.cleaned_data["objective"] if form.is_bound else None,
        "page": page,
        "groups": group_review_rows(page.object_list, page.object_list.previous),
        "row_count": page.paginator.count,
        "objective_rows": [row for row in picture.objectives if row.actions],
        "objective_links": _objective_links(picture, rows, query),
        "country_rows": country_rows,
        "indicator_rows": review_indicator_rows(
            actions, source.cycle, as_of=source.status_day, countries=filters.country_ids
        ),
        "indicator_scope": chosen_label(countries),
        "query": page_query.urlencode(),
        "generated": timezone.localdate(),
        "public_view": public_view,
        "filters_html": _filters_html(request, form, public_view),
    }
