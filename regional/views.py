"""The public regional pages: dashboard, roadmaps, objective, country and action pages. Thin: scope to
the viewer, validate the filters, call a selector, render. The review report is `review_views`, the
collaboration finder `collaboration_views`, the cycle pages `cycle_views`.

Every read starts from `visible_to(request.user)`: anonymous visitors see public roadmaps and
approved updates only.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core import figures_cache
from core.bilingual import localized_expression
from core.search import bilingual_text_search
from countries.models import Country
from gcm.models import Objective
from regional import audience, charts, cycle_views, selectors
from regional.collaboration_views import score_explanation
from regional.forms import RoadmapFilterForm
from regional.indicators import chosen_label, indicator_panels, indicator_summary
from regional.similarity import similar_pairs
from roadmaps.figures import live
from roadmaps.figures.rules import COUNTED_IN_MEAN
from roadmaps.models import Action, ActionStatus, ProgressUpdate, Roadmap

LIST_LIMIT = 20
# Rows of a paged table on the country, objective and roadmap pages (`?page=`); the roadmaps table of a
# country or objective page shows the first ROADMAP_LIMIT and links to the roadmaps list, filtered.
ACTIONS_PER_PAGE = 50
ROADMAP_LIMIT = 25


def _paged(request, rows, count=None):
    """(page, the other parameters urlencoded) of `rows`: the project's pager (templates/includes/pager.html).

    `count`: how many rows there are, when the page's figures already say (no COUNT of its own)."""
    paginator = Paginator(rows, ACTIONS_PER_PAGE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _profile(request, actions, roadmaps, roadmaps_filter: str, action_count: int) -> dict:
    """What the objective and country pages share: their roadmaps (the first ROADMAP_LIMIT by title,
    how many in all, a link to the list filtered by `roadmaps_filter`) and their `action_count`
    actions, paged."""
    rows = list(_roadmap_rows(roadmaps).order_by(localized_expression("title"), "id")[: ROADMAP_LIMIT + 1])
    ordered = selectors.action_table(actions).order_by("due_date", "roadmap_id", "code", "id")
    page, query = _paged(request, ordered, count=action_count)
    return {
        "roadmaps": rows[:ROADMAP_LIMIT],
        "roadmap_total": len(rows) if len(rows) <= ROADMAP_LIMIT else roadmaps.count(),
        "roadmaps_url": f"{reverse('regional:roadmap_list')}?{roadmaps_filter}",
        "page": page,
        "query": query,
        "actions": page.object_list,
    }


def _roadmap_rows(roadmaps):
    # Each roadmap's count and mean as a subquery, not a join grouped over every action: PostgreSQL
    # computes them for the rows shown only, after the sort and the page's limit.
    of_roadmap = Action.objects.filter(roadmap=OuterRef("pk")).order_by().values("roadmap")
    return (
        roadmaps.select_related("theme", "lead_country")
        .prefetch_related("objectives")
        .annotate(
            action_count=Coalesce(Subquery(of_roadmap.annotate(n=Count("id")).values("n")), 0),
            mean_percent=Subquery(
                of_roadmap.annotate(mean=Avg("percent_complete", filter=COUNTED_IN_MEAN)).values("mean")
            ),
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
    statuses = SimpleLazyObject(lambda: live.status_counts(actions))
    context = {
        "figures_key": figures_cache.fragment_key(actions, roadmaps),
        "figures_seconds": settings.FIGURES_CACHE_SECONDS,
        "totals": SimpleLazyObject(lambda: live.totals(actions, roadmaps)),
        "picture": picture,
        "statuses": statuses,
        "objective_chart": SimpleLazyObject(lambda: _objective_chart(picture)),
        "status_chart": SimpleLazyObject(lambda: _status_chart(statuses)),
        "overdue": selectors.action_table(actions.overdue(today)).order_by("due_date", "code")[:LIST_LIMIT],
        "due_soon": selectors.action_table(actions.due_soon(today)).order_by("due_date", "code")[:LIST_LIMIT],
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

    def context():
        rows = _roadmap_rows(roadmaps).order_by(localized_expression("title"), "id")
        query = request.GET.copy()
        query.pop("page", None)
        return {"form": form, "page": Paginator(rows, 25).get_page(request.GET.get("page")), "query": query.urlencode()}

    body = figures_cache.rendered_body(
        request, "regional.roadmaps", (roadmaps,), "regional/_roadmap_list_body.html", context
    )
    return render(request, "regional/roadmap_list.html", {"body": body}, status=status)


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
        "updates": selectors.latest_approved_updates(Roadmap.objects.filter(pk=roadmap.pk), limit=5),
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
    visible = Action.objects.visible_to(request.user)
    actions = visible.serving_objective(objective.id)
    roadmaps = Roadmap.objects.visible_to(request.user).serving([objective.id])

    def context():
        # The objective's figures are its row of the per-objective grouping every page shares.
        figures = live.of_objective(visible, objective.id)
        profile = _profile(request, actions, roadmaps, f"objective={objective.number}", figures.figures.actions)
        return {
            "objective": objective,
            **profile,
            "countries": selectors.objective_country_rows(visible, objective.id),
            "totals": live.objective_totals(figures, profile["roadmap_total"]),
            "updates": selectors.latest_approved_updates(
                Roadmap.objects.visible_to(request.user), objective_id=objective.id
            ),
            "indicator_summary": indicator_summary(actions),
        }

    body = figures_cache.rendered_body(
        request, "regional.objective", (actions, roadmaps), "regional/_objective_body.html", context
    )
    return render(request, "regional/objective_detail.html", {"objective": objective, "body": body})


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    actions = Action.objects.visible_to(request.user).for_countries([country.id])
    roadmaps = Roadmap.objects.visible_to(request.user).involving([country.id])

    def context():
        picture = selectors.regional_picture(actions, country_ids=[country.id])
        # The country's own state on each of its actions, as its row of stats/countries/ (the figures
        # of one country are its own: roadmaps.figures.live); the objective rows, like the
        # dashboard's, each action's overall state (as stats/objectives/?country=).
        totals = live.totals(actions, roadmaps, country_id=country.id)
        return {
            "country": country,
            **_profile(request, actions, roadmaps, f"country={country.code}", totals["actions"]),
            "objective_rows": [row for row in picture.objectives if row.actions],
            "totals": totals,
            "updates": selectors.latest_approved_updates(Roadmap.objects.visible_to(request.user), country=country),
            "indicator_summary": indicator_summary(actions, country_id=country.id),
            "indicator_scope": chosen_label([country]),
        }

    body = figures_cache.rendered_body(
        request, "regional.country", (actions, roadmaps), "regional/_country_body.html", context
    )
    return render(request, "regional/country_detail.html", {"country": country, "body": body})


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
        **score_explanation(),
    }
    return render(request, "regional/action_detail.html", context)
