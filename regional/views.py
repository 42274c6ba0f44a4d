"""The public regional pages. Thin: scope to the viewer, validate the filters, call a selector, render.

Every read starts from `visible_to(request.user)`: anonymous visitors see public roadmaps and
approved updates only.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core import figures_cache
from core.bilingual import localized_expression
from core.search import bilingual_text_search
from countries.models import Country
from gcm.models import Objective
from regional import audience, charts, cycle_views, documents, exports, report, selectors
from regional.forms import CollaborationFilterForm, NotRelatedForm, ReviewFilterForm, RoadmapFilterForm
from regional.indicators import chosen_label, indicator_panels, indicator_summary, review_indicator_rows
from regional.models import NotRelatedPair
from regional.similarity import DESCRIPTION_WEIGHT, MIN_SCORE, TITLE_WEIGHT, similar_groups, similar_pairs
from roadmaps.figures import COUNTED_IN_MEAN, counted_q
from roadmaps.models import Action, ActionStatus, ProgressUpdate, Roadmap

LIST_LIMIT = 20
# Rows of a paged table on the country, objective and roadmap pages (`?page=`); the roadmaps table of a
# country or objective page shows the first ROADMAP_LIMIT and links to the roadmaps list, filtered.
ACTIONS_PER_PAGE = 50
ROADMAP_LIMIT = 25


def _paged(request, rows):
    """(page, the other parameters urlencoded) of `rows`: the project's pager (templates/includes/pager.html)."""
    page = Paginator(rows, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _some_roadmaps(roadmaps):
    """The first ROADMAP_LIMIT roadmaps (by title) and how many there are in all."""
    rows = list(_roadmap_rows(roadmaps).order_by(localized_expression("title"), "id")[: ROADMAP_LIMIT + 1])
    total = len(rows) if len(rows) <= ROADMAP_LIMIT else roadmaps.count()
    return rows[:ROADMAP_LIMIT], total


def _roadmap_rows(roadmaps):
    return (
        roadmaps.select_related("theme", "lead_country")
        .prefetch_related("objectives")
        .annotate(
            action_count=Count("actions"),
            mean_percent=Avg("actions__percent_complete", filter=counted_q("actions__")),
        )
    )


def _objective_chart(picture):
    # Each bar named by its objective (number and short title); an objective with no counted action
    # has no mean (None: "no actions"), which is not the same as a mean of 0 %.
    bars = [
        (
            f"{row.objective.number}. {row.objective.short_title or row.objective.title}",
            row.mean_percent,
            row.heat,
            reverse("regional:objective_detail", args=[row.objective.number]),
        )
        for row in picture.objectives
    ]
    return charts.bar_chart(bars, maximum=100, label_width=230, label_chars=32, empty_label=_("no actions"))


def _status_chart(statuses):
    return charts.bar_chart([(s["label"], s["count"], f"status-{s['status']}", "") for s in statuses])


def dashboard(request):
    viewer = audience.figures_viewer(request)  # the public's eyes when a signed-in person asks
    actions = Action.objects.visible_to(viewer)
    roadmaps = Roadmap.objects.visible_to(viewer)
    today = timezone.localdate()
    # The template renders these once per change of the data the viewer may see (its fragment cache is
    # keyed by `figures_key`): each is computed only when the fragment is rendered.
    picture = SimpleLazyObject(lambda: selectors.regional_picture(actions))
    statuses = SimpleLazyObject(lambda: selectors.status_counts(actions))
    context = {
        "figures_key": figures_cache.fragment_key(actions, roadmaps),
        "figures_seconds": settings.FIGURES_CACHE_SECONDS,
        "totals": SimpleLazyObject(lambda: selectors.totals(actions, roadmaps)),
        "picture": picture,
        "statuses": statuses,
        "objective_chart": SimpleLazyObject(lambda: _objective_chart(picture)),
        "status_chart": SimpleLazyObject(lambda: _status_chart(statuses)),
        "overdue": selectors.action_list(actions.overdue(today)).order_by("due_date", "code")[:LIST_LIMIT],
        "due_soon": selectors.action_list(actions.due_soon(today)).order_by("due_date", "code")[:LIST_LIMIT],
        "since": SimpleLazyObject(lambda: cycle_views.since_last_cycle(viewer, picture.objectives)),
        "audience": audience.audience(request),
    }
    return render(request, "regional/dashboard.html", context)


def roadmap_list(request):
    roadmaps = Roadmap.objects.visible_to(request.user)
    form = RoadmapFilterForm(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            # The API's search of roadmaps (one rule: case, accents and Unicode form ignored), as a
            # subquery so its text vectors stay out of the counts _roadmap_rows adds.
            found = bilingual_text_search(Roadmap.objects.all(), ("title", "description"), data["q"])
            roadmaps = roadmaps.filter(id__in=found.values("id"))
        if data["country"]:
            country = data["country"]
            roadmaps = roadmaps.involving([country.id])
        if data["objective"]:
            objective = data["objective"]
            roadmaps = roadmaps.serving([objective.id])
        if data["theme"]:
            roadmaps = roadmaps.filter(theme=data["theme"])
        if data["status"]:
            roadmaps = roadmaps.filter(status=data["status"])
    elif form.is_bound:
        status = 400
        roadmaps = roadmaps.none()
    page = Paginator(_roadmap_rows(roadmaps).order_by(localized_expression("title"), "id"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "regional/roadmap_list.html", context, status=status)


def roadmap_detail(request, slug):
    roadmap = get_object_or_404(
        Roadmap.objects.visible_to(request.user).select_related("theme", "forum", "lead_country"), slug=slug
    )
    # One query each for the action rows and their countries, objectives and dependencies.
    page, query = _paged(
        request,
        selectors.action_list(roadmap.actions.all())
        .prefetch_related("depends_on")
        .order_by("start_date", "due_date", "code", "id"),
    )
    actions = list(page.object_list)
    context = {
        "page": page,
        "query": query,
        "roadmap": roadmap,
        "countries": roadmap.countries.order_by(localized_expression("name")),
        "organizations": roadmap.organizations.all(),
        "objectives": roadmap.objectives.order_by("number"),
        "principles": roadmap.principles.all(),
        "timeline": charts.timeline(actions, start=roadmap.start_date, end=roadmap.end_date),
        "actions": actions,
        "updates": selectors.latest_approved_updates(roadmap.actions.all(), limit=5),
        "summary": roadmap.actions.aggregate(
            count=Count("id"),
            mean_percent=Avg("percent_complete", filter=COUNTED_IN_MEAN),
            cancelled=Count("id", filter=~COUNTED_IN_MEAN),
            completed=Count("id", filter=Q(status=ActionStatus.COMPLETED)),
        ),
    }
    return render(request, "regional/roadmap_detail.html", context)


def objective_detail(request, number):
    objective = get_object_or_404(Objective, number=number)
    actions = selectors.actions_for_objective(Action.objects.visible_to(request.user), objective.id)
    roadmaps = Roadmap.objects.visible_to(request.user).serving([objective.id])
    page, query = _paged(request, selectors.action_list(actions).order_by("due_date", "roadmap_id", "code", "id"))
    some_roadmaps, roadmap_total = _some_roadmaps(roadmaps)
    context = {
        "objective": objective,
        "roadmaps": some_roadmaps,
        "roadmap_total": roadmap_total,
        "roadmaps_url": f"{reverse('regional:roadmap_list')}?objective={objective.number}",
        "countries": selectors.country_rows(actions),
        "page": page,
        "query": query,
        "actions": page.object_list,
        "totals": selectors.totals(actions, roadmaps),
        "updates": selectors.latest_approved_updates(actions),
        "indicator_summary": indicator_summary(actions),
    }
    return render(request, "regional/objective_detail.html", context)


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    actions = selectors.actions_for_countries(Action.objects.visible_to(request.user), [country.id])
    roadmaps = Roadmap.objects.visible_to(request.user).involving([country.id])
    picture = selectors.regional_picture(actions, country_ids=[country.id])
    page, query = _paged(request, selectors.action_list(actions).order_by("due_date", "roadmap_id", "code", "id"))
    some_roadmaps, roadmap_total = _some_roadmaps(roadmaps)
    context = {
        "country": country,
        "roadmaps": some_roadmaps,
        "roadmap_total": roadmap_total,
        "roadmaps_url": f"{reverse('regional:roadmap_list')}?country={country.code}",
        "objective_rows": [row for row in picture.objectives if row.actions],
        "page": page,
        "query": query,
        "actions": page.object_list,
        "totals": selectors.totals(actions, roadmaps),
        "updates": selectors.latest_approved_updates(actions, country=country),
        "indicator_summary": indicator_summary(actions, country_id=country.id),
        "indicator_scope": chosen_label([country]),
    }
    return render(request, "regional/country_detail.html", context)


def country_report(request, code):
    """`/countries/<code>/report.docx`: the review report's filters (period, objective, `as_of`,
    `cycle`) for one country."""
    country = get_object_or_404(Country, code=code.upper())
    form = ReviewFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        errors = "; ".join(f"{name}: {' '.join(messages_)}" for name, messages_ in form.errors.items())
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    filters = _review_filters(form)[0] if form.is_bound else selectors.ReviewFilters()
    filters.country_ids = [country.id]  # the country of the address, whatever `countries` says
    cycle = form.cleaned_data["cycle"] if form.is_bound else None
    source = report.ReportSource(cycle=cycle, status_day=None if cycle else filters.status_day)
    return documents.country_docx(request, country=country, filters=filters, source=source)


def action_detail(request, pk):
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related("roadmap", "roadmap__lead_country"), pk=pk
    )
    objectives = list(action.objectives.order_by("number")) or list(action.roadmap.objectives.order_by("number"))
    context = {
        "action": action,
        "countries": action.countries.order_by(localized_expression("name")),
        "country_states": action.country_progress.select_related("country").order_by(
            localized_expression("country__name")
        ),
        "objectives": objectives,
        "organizations": action.organizations.all(),
        "depends_on": action.depends_on.order_by("code"),
        "dependents": action.dependents.filter(roadmap__in=Roadmap.objects.visible_to(request.user)).order_by("code"),
        "updates": ProgressUpdate.objects.visible_to(request.user)
        .approved()
        .filter(action=action)
        .select_related("country")
        .latest_first()[:LIST_LIMIT],
        "similar": similar_pairs(request.user, action_id=action.id, limit=10),
        "indicator_panels": indicator_panels(action.indicators.all()),
        **_score_explanation(),
    }
    return render(request, "regional/action_detail.html", context)


def _review_filters(form):
    data = form.cleaned_data
    countries = list(data["countries"])
    objective = data["objective"]
    return selectors.ReviewFilters(
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
        (filters, countries), cycle = (selectors.ReviewFilters(), []), None
    source = report.ReportSource(cycle=cycle, status_day=None if cycle else filters.status_day)
    export = request.GET.get("format")
    if export and export not in ("xlsx", "csv", "docx"):
        return HttpResponseBadRequest(_("Unknown format: choose xlsx, csv or docx."))
    actions = selectors.review_actions(audience.figures_viewer(request), filters)
    if export:
        return _review_download(request, export, filters, countries, source, actions)

    def render_body():
        context = _review_context(request, form, filters, countries, actions, source)
        return render_to_string("regional/_review_body.html", context, request)

    # Keyed by the visible, filtered actions' SQL (the viewer's visibility) and the whole query string.
    body = figures_cache.get_or_compute("regional.review", (actions, sorted(request.GET.lists())), render_body)
    return render(request, "regional/review.html", {"body": body, "audience": audience.audience(request)})


def _review_download(request, export, filters, chosen_countries, source, actions):
    if source.frozen:
        filename = f"gcm-regional-review-{source.cycle.key}"
        stamp = source.cycle.closed_at
    else:
        filename = f"gcm-regional-review-{(source.status_day or timezone.localdate()).isoformat()}"
        stamp = None
    if export == "docx":
        # The Word document has the same figures and rows as the spreadsheet (regional.documents).
        return documents.review_docx(
            request, filters=filters, chosen_countries=chosen_countries, source=source, filename=filename
        )
    viewer = audience.figures_viewer(request)  # the public's eyes when a signed-in person asks
    rows, picture, countries = report.review_parts(viewer, filters, source, actions)
    all_rows = rows.rows if isinstance(rows, report.RowsPage) else selectors.review_rows(viewer, filters)
    indicators = review_indicator_rows(actions, source.cycle, as_of=source.status_day, countries=filters.country_ids)
    cycle_key = source.cycle.key if source.cycle else None
    if export == "csv":
        return exports.review_csv(rows=all_rows, filename=filename, source=source.label)
    return exports.review_xlsx(
        picture=picture,
        countries=countries,
        rows=all_rows,
        filename=filename,
        source=source.label,
        stamp=stamp,
        indicators=indicators,
        cycle_key=cycle_key,
        indicator_scope=", ".join(c.code for c in chosen_countries),
    )


def _review_context(request, form, filters, countries, actions, source):
    rows, picture, country_rows = report.review_parts(audience.figures_viewer(request), filters, source, actions)
    page = Paginator(rows, selectors.REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
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
        "groups": selectors.group_review_rows(page.object_list, page.object_list.previous),
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
        "public_view": audience.figures_viewer(request) is not request.user,
    }


def _score_explanation():
    return {
        "title_weight": round(TITLE_WEIGHT * 100),
        "description_weight": round(DESCRIPTION_WEIGHT * 100),
        "min_score": round(MIN_SCORE * 100),
    }


def collaboration(request):
    form = CollaborationFilterForm(request.GET or None, initial={"min_score": round(MIN_SCORE * 100)})
    status = 200
    pairs = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        objective, country, min_score = data.get("objective"), data.get("country"), data.get("min_score")
        pairs = similar_pairs(
            request.user,
            objective_number=objective.number if objective else None,
            country_id=country.id if country else None,
            min_score=MIN_SCORE if min_score is None else min_score / 100,
        )
    else:
        status = 400
    context = {
        "form": form,
        "pairs": pairs,
        "groups": similar_groups(pairs),
        "may_mark": roles.is_secretariat(request.user),
        "next": request.get_full_path(),
        **_score_explanation(),
    }
    return render(request, "regional/collaboration.html", context, status=status)


@require_POST
def mark_not_related(request):
    """The secretariat hides a pair from the collaboration finder (403 for everyone else)."""
    if not roles.is_secretariat(request.user):
        raise PermissionDenied(_("Only the secretariat can mark actions as not related."))
    form = NotRelatedForm(request.POST)
    if not form.is_valid():
        return render(request, "regional/not_related_error.html", {"form": form}, status=400)
    first_id, second_id = NotRelatedPair.ordered(form.cleaned_data["first"], form.cleaned_data["second"])
    found = Action.objects.filter(id__in=[first_id, second_id]).count()
    if found != 2:
        form.add_error(None, _("One of these actions does not exist."))
        return render(request, "regional/not_related_error.html", {"form": form}, status=400)
    try:
        with transaction.atomic():
            NotRelatedPair.objects.get_or_create(
                action_a_id=first_id, action_b_id=second_id, defaults={"marked_by": request.user}
            )
    except IntegrityError:  # marked at the same moment by someone else: the pair is hidden either way
        pass
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("regional:collaboration")
    messages.success(request, _("The pair is marked as not related and no longer shown."))
    return redirect(target)
