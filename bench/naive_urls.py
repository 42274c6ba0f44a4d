"""The naive actions list (`/bench/naive/actions/`), then every URL of the real site.

A plain `ModelSerializer` viewset over the same data: nested roadmap, country and objective codes,
no `select_related` / `prefetch_related`, DRF's own JSON renderer, the same filters and visibility
as the real list (`?country=SV&objective=5&page_size=100`).
"""

from django.db.models import Exists, OuterRef, Q
from django.urls import path
from rest_framework import pagination, serializers, viewsets

from config.urls import urlpatterns as site_urlpatterns
from roadmaps.models import Action, Roadmap


class NaiveRoadmapSerializer(serializers.ModelSerializer):
    class Meta:
        model = Roadmap
        fields = ["id", "slug", "title_en", "title_es"]


class NaiveActionSerializer(serializers.ModelSerializer):
    roadmap = NaiveRoadmapSerializer()
    countries = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    objectives = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")
    title = serializers.CharField()

    class Meta:
        model = Action
        fields = [
            "id",
            "code",
            "title_en",
            "title_es",
            "title",
            "roadmap",
            "countries",
            "objectives",
            "status",
            "percent_complete",
            "start_date",
            "due_date",
            "version",
            "updated_at",
        ]


class NaivePagination(pagination.PageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class NaiveActionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NaiveActionSerializer
    pagination_class = NaivePagination

    def get_queryset(self):
        queryset = Action.objects.visible_to(self.request.user).order_by("roadmap_id", "code", "id")
        country = self.request.query_params.get("country")
        if country:
            queryset = queryset.filter(
                Exists(Action.countries.through.objects.filter(action=OuterRef("pk"), country__code=country.upper()))
            )
        objective = self.request.query_params.get("objective")
        if objective and objective.isdigit():
            own = Action.objectives.through.objects.filter(action=OuterRef("pk"), objective__number=int(objective))
            inherited = Roadmap.objectives.through.objects.filter(
                roadmap=OuterRef("roadmap_id"), objective__number=int(objective)
            )
            has_own = Action.objectives.through.objects.filter(action=OuterRef("pk"))
            queryset = queryset.filter(Q(Exists(own)) | (~Exists(has_own) & Exists(inherited)))
        return queryset


naive_list = NaiveActionViewSet.as_view({"get": "list"})

urlpatterns = [path("bench/naive/actions/", naive_list, name="bench-naive-actions"), *site_urlpatterns]
