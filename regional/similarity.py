"""The collaboration finder: actions of different countries that work on the same GCM objective with
similar wording, found with PostgreSQL's trigram similarity (pg_trgm) in both languages.

The score of a pair (0–1):
- titles: the mean of `similarity()` of the English titles and of the Spanish titles;
- descriptions: the same for the descriptions, when both actions have one;
- score = 0.6 × titles + 0.4 × descriptions, or the titles alone when a description is missing.
A missing translation falls back to the other language, as everywhere on the site.

Pairs are left out when the two actions share a responsible country (a country's own actions are not
a collaboration across countries), when they share no objective, or when the secretariat marked them
as not related (NotRelatedPair). The pairing is one SQL query over the viewer's visible actions.
"""

from dataclasses import dataclass

from django.db import connection

from regional.models import NotRelatedPair
from roadmaps.models import Action

TITLE_WEIGHT = 0.6
DESCRIPTION_WEIGHT = 0.4
MIN_SCORE = 0.25


@dataclass
class SimilarPair:
    first_id: int
    second_id: int
    shared_objectives: list
    title_en: float
    title_es: float
    description_en: float | None
    description_es: float | None
    score: float
    first: Action | None = None
    second: Action | None = None

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    def other(self, action_id: int) -> Action | None:
        return self.second if self.first_id == action_id else self.first


def _tables():
    return {
        "action": Action._meta.db_table,
        "action_objectives": Action.objectives.through._meta.db_table,
        "action_countries": Action.countries.through._meta.db_table,
        "roadmap_objectives": Action.roadmap.field.related_model.objectives.through._meta.db_table,
        "objective": Action.objectives.field.related_model._meta.db_table,
        "country": Action.countries.field.related_model._meta.db_table,
        "not_related": NotRelatedPair._meta.db_table,
    }


_SQL = """
WITH vis AS ({visible}),
eff AS (
    SELECT ao.action_id, ao.objective_id FROM {action_objectives} ao WHERE ao.action_id IN (SELECT id FROM vis)
    UNION
    SELECT a.id, ro.objective_id
    FROM {action} a JOIN {roadmap_objectives} ro ON ro.roadmap_id = a.roadmap_id
    WHERE a.id IN (SELECT id FROM vis)
      AND NOT EXISTS (SELECT 1 FROM {action_objectives} x WHERE x.action_id = a.id)
),
txt AS (
    SELECT a.id,
        lower(coalesce(nullif(a.title_en, ''), a.title_es)) AS t_en,
        lower(coalesce(nullif(a.title_es, ''), a.title_en)) AS t_es,
        lower(coalesce(nullif(a.description_en, ''), a.description_es)) AS d_en,
        lower(coalesce(nullif(a.description_es, ''), a.description_en)) AS d_es
    FROM {action} a
    WHERE a.id IN (SELECT id FROM vis)
      AND EXISTS (SELECT 1 FROM {action_countries} c WHERE c.action_id = a.id)
),
pairs AS (
    SELECT e1.action_id AS a_id, e2.action_id AS b_id, array_agg(o.number ORDER BY o.number) AS shared
    FROM eff e1
    JOIN eff e2 ON e2.objective_id = e1.objective_id AND e1.action_id < e2.action_id
    JOIN {objective} o ON o.id = e1.objective_id
    WHERE {pair_condition}
    GROUP BY e1.action_id, e2.action_id
    HAVING {having}
),
scored AS (
    SELECT p.a_id, p.b_id, p.shared,
        similarity(ta.t_en, tb.t_en) AS s_title_en,
        similarity(ta.t_es, tb.t_es) AS s_title_es,
        CASE WHEN ta.d_en <> '' AND tb.d_en <> '' THEN similarity(ta.d_en, tb.d_en) END AS s_desc_en,
        CASE WHEN ta.d_es <> '' AND tb.d_es <> '' THEN similarity(ta.d_es, tb.d_es) END AS s_desc_es
    FROM pairs p
    JOIN txt ta ON ta.id = p.a_id
    JOIN txt tb ON tb.id = p.b_id
    WHERE NOT EXISTS (
            SELECT 1 FROM {action_countries} ca
            JOIN {action_countries} cb ON cb.country_id = ca.country_id
            WHERE ca.action_id = p.a_id AND cb.action_id = p.b_id)
      AND NOT EXISTS (SELECT 1 FROM {not_related} n WHERE n.action_a_id = p.a_id AND n.action_b_id = p.b_id)
      AND {country_condition}
)
SELECT a_id, b_id, shared, s_title_en, s_title_es, s_desc_en, s_desc_es, score FROM (
    SELECT scored.*,
        CASE WHEN s_desc_en IS NULL OR s_desc_es IS NULL
             THEN (s_title_en + s_title_es) / 2
             ELSE {title_weight} * (s_title_en + s_title_es) / 2
                  + {description_weight} * (s_desc_en + s_desc_es) / 2
        END AS score
    FROM scored
) ranked
WHERE score >= %s
ORDER BY score DESC, a_id, b_id
LIMIT %s
"""


def similar_pairs(
    user,
    *,
    objective_number: int | None = None,
    country_id: int | None = None,
    action_id: int | None = None,
    min_score: float = MIN_SCORE,
    limit: int = 50,
) -> list[SimilarPair]:
    """Pairs of the viewer's visible actions, best first, with both actions loaded (3 queries)."""
    visible_sql, visible_params = Action.objects.visible_to(user).order_by().values("id").query.sql_with_params()
    params = list(visible_params)
    pair_condition = "TRUE"
    if action_id is not None:
        pair_condition = "(e1.action_id = %s OR e2.action_id = %s)"
        params += [action_id, action_id]
    having = "TRUE"
    if objective_number is not None:
        having = "bool_or(o.number = %s)"
        params.append(objective_number)
    country_condition = "TRUE"
    if country_id is not None:
        country_condition = (
            "EXISTS (SELECT 1 FROM {action_countries} cc WHERE cc.action_id IN (p.a_id, p.b_id) AND cc.country_id = %s)"
        )
        params.append(country_id)
    params += [min_score, limit]
    tables = _tables()
    sql = _SQL.format(
        visible=visible_sql,
        pair_condition=pair_condition,
        having=having,
        country_condition=country_condition.format(**tables),
        title_weight=TITLE_WEIGHT,
        description_weight=DESCRIPTION_WEIGHT,
        **tables,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pairs = [
            SimilarPair(
                first_id=a_id,
                second_id=b_id,
                shared_objectives=list(shared),
                title_en=round(t_en, 2),
                title_es=round(t_es, 2),
                description_en=None if d_en is None else round(d_en, 2),
                description_es=None if d_es is None else round(d_es, 2),
                score=round(score, 3),
            )
            for a_id, b_id, shared, t_en, t_es, d_en, d_es, score in cursor.fetchall()
        ]
    ids = {p.first_id for p in pairs} | {p.second_id for p in pairs}
    actions = Action.objects.filter(id__in=ids).select_related("roadmap").prefetch_related("countries").in_bulk()
    for pair in pairs:
        pair.first = actions.get(pair.first_id)
        pair.second = actions.get(pair.second_id)
    return pairs


def similar_groups(pairs: list[SimilarPair], *, min_size: int = 3) -> list[list[Action]]:
    """Actions linked by the shown pairs into groups of `min_size` or more (connected components):
    where several countries work on the same thing. Computed on the page's pairs, not on all rows."""
    parent: dict[int, int] = {}

    def root(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    actions = {}
    for pair in pairs:
        actions[pair.first_id], actions[pair.second_id] = pair.first, pair.second
        parent[root(pair.first_id)] = root(pair.second_id)
    components: dict[int, list[int]] = {}
    for action_id in actions:
        components.setdefault(root(action_id), []).append(action_id)
    groups = [sorted((actions[i] for i in ids), key=lambda a: (a.roadmap_id, a.code)) for ids in components.values()]
    return sorted((g for g in groups if len(g) >= min_size), key=len, reverse=True)
