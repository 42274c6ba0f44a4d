"""What the documents show beyond the review report's rows, read a chunk of actions at a time.

The sections are written `CHUNK_ACTIONS` actions at a time (`action_chunks`); each read is one query
(or a fixed few) for every action of the chunk together, never one per action, so a document's
queries grow with its chunks, not its rows, and no read holds the whole region. Every read starts from the
viewer may see: the actions are the report's (`review_actions`: `Action.objects.visible_to(user)`),
practices are `GoodPractice.objects.visible_to(user).published()`, collaboration pairs come from the
finder over the viewer's visible actions.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import groupby, islice

from django.utils.translation import gettext as _

from core.bilingual import active_language
from countries.models import FocalPoint
from practices.models import GoodPractice
from practices.selectors import with_page_relations
from regional.indicators import review_indicator_rows
from regional.selectors import normalized
from regional.similarity import similar_pairs
from roadmaps.models import Action

# The collaboration finder's best pairs that the document lists under their actions. The finder
# scores every pair of the viewer's actions that share an objective, whatever the filters: measured on
# this 2-core machine under load, 1 000 actions (the bench's regional scale) took 17 s and 20 000 (the
# stress scale) more than 10 minutes. So a document lists them only when the viewer sees at most
# COLLABORATION_MAX_ACTIONS actions, and otherwise says so and points to the finder's page.
COLLABORATION_PAIRS = 200
COLLABORATION_MAX_ACTIONS = 500
# Actions (under one objective each) written per chunk: its rows, facts, practices and indicators are
# what a document holds in memory at once.
CHUNK_ACTIONS = 500


def in_language(values: dict[str, str], language: str | None = None) -> str:
    """The text in `language`; else the other language's, marked as such ("… (in Spanish)")."""
    language = language or active_language()
    if values.get(language):
        return values[language]
    for code, marker in (("en", _("in English")), ("es", _("in Spanish"))):
        if code != language and values.get(code):
            return f"{values[code]} ({marker})"
    return ""


def _pair(row, base) -> dict:
    return {"en": row[f"{base}_en"], "es": row[f"{base}_es"]}


@dataclass
class ActionFacts:
    title: str
    roadmap: str
    due_date: object
    indicator: str
    baseline: str
    target: str
    countries: list = field(default_factory=list)  # names of every responsible country


@dataclass
class Opportunity:
    code: str
    title: str
    countries: str
    percent: int
    shared_objectives: list


@dataclass
class Extras:
    actions: dict  # action id → ActionFacts (of the chunk)
    practices: dict  # action id → [practice title] (of the chunk)
    opportunities: dict | None  # action id → [Opportunity]; None: not looked for (too many actions)
    compared: int = 0  # the actions the finder would compare
    limit: int = 0  # COLLABORATION_MAX_ACTIONS
    indicators: dict = field(default_factory=dict)  # action id → [review_indicator_rows row] (of the chunk)
    indicator_scope: str = ""  # for chosen countries: whose figures they are (regional.indicators.chosen_label)


def action_facts(actions) -> dict:
    """{action id: ActionFacts} for the actions (2 queries)."""
    base = normalized(actions)
    facts = {
        row["id"]: ActionFacts(
            title=in_language(_pair(row, "title")),
            roadmap=in_language(_pair(row, "roadmap__title")),
            due_date=row["due_date"],
            indicator=row["indicator"],
            baseline=row["baseline"],
            target=row["target"],
        )
        for row in base.values(
            "id",
            "title_en",
            "title_es",
            "roadmap__title_en",
            "roadmap__title_es",
            "due_date",
            "indicator",
            "baseline",
            "target",
        )
    }
    links = (
        Action.countries.through.objects.filter(action_id__in=base.values("id"))
        .values("action_id", "country__name_en", "country__name_es")
        .order_by("action_id")
    )
    for link in links:
        names = facts[link["action_id"]].countries
        names.append(in_language({"en": link["country__name_en"], "es": link["country__name_es"]}))
    for item in facts.values():
        item.countries.sort()
    return facts


def linked_practices(user, actions) -> dict:
    """{action id: [title]}: the published practices the viewer may see that came from each action (1 query)."""
    visible = GoodPractice.objects.visible_to(user).published()
    links = (
        GoodPractice.actions.through.objects.filter(
            action_id__in=normalized(actions).values("id"), goodpractice__in=visible.values("id")
        )
        .values("action_id", "goodpractice__title_en", "goodpractice__title_es")
        .order_by("action_id", "goodpractice__title_en", "goodpractice_id")
    )
    result = defaultdict(list)
    for link in links:
        result[link["action_id"]].append(
            in_language({"en": link["goodpractice__title_en"], "es": link["goodpractice__title_es"]})
        )
    return dict(result)


def opportunities(user, *, objective_number=None, country_id=None) -> dict:
    """{action id: [Opportunity]}: the finder's best pairs, listed under each of their two actions (3 queries)."""
    result = defaultdict(list)
    pairs = similar_pairs(user, objective_number=objective_number, country_id=country_id, limit=COLLABORATION_PAIRS)
    for pair in pairs:
        for this, other in ((pair.first, pair.second), (pair.second, pair.first)):
            if this is None or other is None:
                continue
            result[this.id].append(
                Opportunity(
                    code=other.code,
                    title=in_language({"en": other.title_en, "es": other.title_es}),
                    countries=", ".join(sorted(c.name for c in other.countries.all())),
                    percent=pair.percent,
                    shared_objectives=pair.shared_objectives,
                )
            )
    return dict(result)


def extras(user, *, objective_number=None, country_id=None) -> Extras:
    """What holds for the whole document: the collaboration pairs (or why there are none)."""
    compared = Action.objects.visible_to(user).count()
    found = None
    if compared <= COLLABORATION_MAX_ACTIONS:
        found = opportunities(user, objective_number=objective_number, country_id=country_id)
    return Extras(actions={}, practices={}, opportunities=found, compared=compared, limit=COLLABORATION_MAX_ACTIONS)


def action_chunks(user, rows, document: Extras, *, cycle=None, as_of=None, countries=None, size: int | None = None):
    """The rows (in the documents' order: objective, roadmap, action) as chunks of `size` actions:
    ([((objective number, action id), [its rows])], the chunk's Extras). The facts, practices and
    indicators are read for the chunk's actions only (5 queries a chunk); the rows are consumed as
    the chunks are, so a streamed iterator of rows is never held whole. The indicators are the chosen
    `countries`' figures when the report is for some countries."""
    size = size or CHUNK_ACTIONS
    groups = ((key, list(group)) for key, group in groupby(rows, key=lambda r: (r.objective_number, r.action_id)))
    while chunk := list(islice(groups, size)):
        actions = Action.objects.filter(pk__in={action_id for (_number, action_id), _rows in chunk})
        indicators = defaultdict(list)
        for row in review_indicator_rows(actions, cycle, as_of=as_of, countries=countries):
            indicators[row["action_id"]].append(row)
        yield (
            chunk,
            replace(
                document,
                actions=action_facts(actions),
                practices=linked_practices(user, actions),
                indicators=dict(indicators),
            ),
        )


def contacts(user, country) -> list[dict]:
    """The country's active focal points as contacts: [{name, position}] (1 query).

    Names are for signed-in readers; a public document gives the positions only, as the public pages
    do (a practice's contact is "a position or office, not a person's name").
    """
    named = user.is_authenticated
    result = []
    for point in FocalPoint.objects.active().filter(country=country).select_related("user").order_by("user__last_name"):
        name = (point.user.get_full_name() or point.user.username) if named else ""
        result.append({"name": name, "position": point.role_title})
    return [c for c in result if c["name"] or c["position"]]


def country_practices(user, country) -> list:
    """The country's published practices the viewer may see, with what their page shows (fixed queries)."""
    queryset = GoodPractice.objects.visible_to(user).published().filter(countries=country)
    return list(with_page_relations(queryset, user).order_by("-published_at", "-id"))
