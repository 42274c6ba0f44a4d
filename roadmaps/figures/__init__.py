"""The figures: every aggregate the pages and the API show, computed once, here.

- `rules`: what a mean progress counts (cancelled work left out) and how it is rounded;
- `states`: figures over a list of (action, country) states that are not today's rows — a closed
  cycle's snapshot, the report as of a day;
- `live`: the same figures over today's rows, in SQL, for an action queryset already scoped to the
  viewer (`Action.objects.visible_to(user)` and any filters): the dashboard, the objective and country
  pages, the review report's summaries and `/api/v1/stats/` all read them.
"""
