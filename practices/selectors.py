"""Reads of good practices that several pages share: the catalogue's search and filters, the export,
"practices for this objective" (objective pages) and "related practices" (action pages).

Every function starts from `GoodPractice.objects.visible_to(user)`.

Search: one `tsvector` over the English and the Spanish fields with the `simple` configuration (no
stemming, no stop words: the same rules for both languages) on `unaccent`-ed text, queried by word
prefixes, so "migracion", "migración" and "migrant" find what they should, whatever the language the
practice was written in. Practices are few (hundreds), so the vector is computed per query rather than
stored; a stored, indexed column is the next step if the catalogue grows to tens of thousands.
"""

import re
import unicodedata
from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramSimilarity
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from core.search import Unaccent
from countries.models import Country
from gcm.models import GuidingPrinciple, Objective, Organization
from practices.models import GoodPractice
from roadmaps.models import Action

# (field, weight): titles rank above summaries above the narrative.
SEARCH_FIELDS = (
    ("title_en", "A"),
    ("title_es", "A"),
    ("summary_en", "B"),
    ("summary_es", "B"),
    ("what_was_done", "C"),
    ("results", "C"),
    ("lessons_learned", "C"),
    ("replication_needs", "D"),
)
RELATED_SIMILARITY = 0.3


def search_vector():
    return reduce(
        add, (SearchVector(Unaccent(F(name)), config="simple", weight=weight) for name, weight in SEARCH_FIELDS)
    )


def _words(text: str) -> list[str]:
    """Lower-case words without accents (the same folding as PostgreSQL's unaccent for Latin text)."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", folded.lower())[:12]


def search_query(text: str) -> SearchQuery | None:
    words = _words(text)
    if not words:
        return None
    # Words are letters and digits only, so the raw tsquery cannot be malformed.
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="simple")


def search(queryset: QuerySet, text: str) -> QuerySet:
    query = search_query(text or "")
    if query is None:
        return queryset
    return (
        queryset.annotate(search=search_vector())
        .filter(search=query)
        .annotate(rank=SearchRank(search_vector(), query))
        .order_by("-rank", "-published_at", "-id")
    )


def filter_practices(
    queryset: QuerySet,
    *,
    q: str = "",
    objective: Objective | None = None,
    principle=None,
    country: Country | None = None,
    theme=None,
) -> QuerySet:
    """The catalogue's filters. Each many-to-many filter is a subquery so rows never repeat."""
    links = [
        (objective, GoodPractice.objectives.through, "objective"),
        (principle, GoodPractice.principles.through, "guidingprinciple"),
        (country, GoodPractice.countries.through, "country"),
        (theme, GoodPractice.actions.through, "action__roadmap__theme"),
    ]
    for value, link, lookup in links:
        if value is not None:
            queryset = queryset.filter(id__in=link.objects.filter(**{lookup: value}).values("goodpractice_id"))
    return search(queryset, q)


def with_card_relations(queryset: QuerySet) -> QuerySet:
    """What a practice card shows: countries and objectives, prefetched (two queries for any page size)."""
    return queryset.prefetch_related(
        Prefetch("countries", queryset=Country.objects.order_by("name_en")),
        Prefetch("objectives", queryset=Objective.objects.order_by("number")),
    )


def with_page_relations(queryset: QuerySet, user) -> QuerySet:
    """Everything a practice's page (or the export) shows. The actions it came from are only those the
    reader may see: a practice is public once published, a partners-only roadmap's actions are not."""
    return (
        with_card_relations(queryset)
        .select_related("author", "reviewer")
        .prefetch_related(
            Prefetch("principles", queryset=GuidingPrinciple.objects.order_by("letter")),
            Prefetch("partners", queryset=Organization.objects.order_by("acronym_en")),
            "attachments",
            Prefetch(
                "actions",
                queryset=Action.objects.visible_to(user)
                .select_related("roadmap")
                .order_by("roadmap__title_en", "code"),
            ),
        )
    )


def catalogue(user, **filters) -> QuerySet:
    """Published practices the user may see, filtered. Drafts never appear in the catalogue, even for
    their authors: those are listed on the focal point's own page."""
    return with_card_relations(filter_practices(GoodPractice.objects.visible_to(user).published(), **filters))


def catalogue_export(user, **filters) -> QuerySet:
    """The same practices as the catalogue, with everything the export writes prefetched."""
    return with_page_relations(filter_practices(GoodPractice.objects.visible_to(user).published(), **filters), user)


def practices_for_objective(objective: Objective, user, *, limit: int | None = 6) -> list[GoodPractice]:
    """Published practices serving `objective`, newest first (for the objective's page)."""
    queryset = with_card_relations(
        filter_practices(GoodPractice.objects.visible_to(user).published(), objective=objective)
    ).order_by("-published_at", "-id")
    return list(queryset[:limit] if limit else queryset)


def related_practices(action: Action, user, *, limit: int = 5) -> list[GoodPractice]:
    """Published practices related to `action`, best first: those that came from it, then those sharing
    the most GCM objectives (the action's own, else its roadmap's), then similar titles (trigrams)."""
    objective_ids = list(action.objectives.values_list("id", flat=True)) or list(
        action.roadmap.objectives.values_list("id", flat=True)
    )
    links = GoodPractice.actions.through.objects.filter(goodpractice_id=OuterRef("pk"), action_id=action.pk)
    shared = (
        GoodPractice.objectives.through.objects.filter(goodpractice_id=OuterRef("pk"), objective_id__in=objective_ids)
        .values("goodpractice_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    queryset = (
        GoodPractice.objects.visible_to(user)
        .published()
        .annotate(
            from_action=Exists(links),
            shared_objectives=Coalesce(Subquery(shared, output_field=IntegerField()), 0),
            similarity=Greatest(
                TrigramSimilarity("title_en", action.title_en or action.title_es),
                TrigramSimilarity("title_es", action.title_es or action.title_en),
            ),
        )
        .filter(Q(from_action=True) | Q(shared_objectives__gt=0) | Q(similarity__gte=RELATED_SIMILARITY))
        .order_by("-from_action", "-shared_objectives", "-similarity", "-published_at", "-id")
    )
    return list(with_card_relations(queryset)[:limit])
