"""`/api/v1/`: the partner API, its OpenAPI schema and its offline documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.routers import DefaultRouter

from api import changes, cycles, indicators, progress_updates, reference, roadmaps_actions, stats
from api.practices import PracticeViewSet
from api.renderers import ORJSONRenderer

app_name = "api"


class RootView(routers.APIRootView):
    """`/api/v1/`: links to every list (JSON; the documentation is at /api/v1/docs/)."""

    renderer_classes = [ORJSONRenderer]


class Router(DefaultRouter):
    include_root_view = True
    include_format_suffixes = False
    APIRootView = RootView

    def get_method_map(self, viewset, method_map):
        # List-only view sets (the aggregates) get no detail route: it would answer 500.
        bound = super().get_method_map(viewset, method_map)
        if getattr(viewset, "list_only", False):
            bound = {method: action for method, action in bound.items() if action != "retrieve"}
        return bound

    def get_api_root_view(self, api_urls=None):
        # The change feed is routed by hand (below); the root lists it with the lists.
        list_name = self.routes[0].name
        api_root_dict = {prefix: list_name.format(basename=basename) for prefix, _viewset, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**api_root_dict, "changes": "change-list"})


router = Router()
router.register("countries", reference.CountryViewSet, basename="country")
router.register("objectives", reference.ObjectiveViewSet, basename="objective")
router.register("principles", reference.PrincipleViewSet, basename="principle")
router.register("organizations", reference.OrganizationViewSet, basename="organization")
router.register("forums", reference.ForumViewSet, basename="forum")
router.register("themes", reference.ThemeViewSet, basename="theme")
router.register("roadmaps", roadmaps_actions.RoadmapViewSet, basename="roadmap")
router.register("actions", roadmaps_actions.ActionViewSet, basename="action")
router.register("progress-updates", progress_updates.ProgressUpdateViewSet, basename="progress-update")
router.register("practices", PracticeViewSet, basename="practice")
router.register("cycles", cycles.CycleViewSet, basename="cycle")
router.register(r"cycles/(?P<cycle_key>[-a-zA-Z0-9_]+)/rows", cycles.SnapshotRowViewSet, basename="cycle-row")
router.register("indicators", indicators.IndicatorViewSet, basename="indicator")
router.register("indicator-values", indicators.IndicatorValueViewSet, basename="indicator-value")
router.register("stats/objectives", stats.ObjectiveStatsViewSet, basename="stats-objectives")
router.register("stats/countries", stats.CountryStatsViewSet, basename="stats-countries")

urlpatterns = [
    # The schema is one static document, the same for everyone: it spends no rate budget (and so needs
    # no database row per read: the fuzz tests load it before any database exists).
    path("schema/", SpectacularAPIView.as_view(throttle_classes=[]), name="schema"),
    # Split view: the page loads its start-up script from a URL (no inline script under the strict CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("cycles/<slug:key>/compare/", cycles.CompareView.as_view(), name="cycle-compare"),
    # Not through the router: a "list" action would be documented as an array, and this is one page.
    path("changes/", changes.ChangeViewSet.as_view({"get": "feed"}), name="change-list"),
    path("", include(router.urls)),
]
