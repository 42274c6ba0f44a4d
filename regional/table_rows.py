"""The rows of the long tables — actions (country, objective and dashboard pages), roadmaps (those
pages and the roadmaps list) and the review report's detail rows — rendered in Python.

The template engine spent about a millisecond per row — translated labels, reversed URLs and a list of
country states each — which made a page's first rendering after a change (issue 22) cost more than its
SQL. Here the labels are translated and the URL patterns reversed once per table, and each row is one
`format_html`; the templates (`_action_table.html`, `_roadmap_table.html`, `_review_body.html`) keep
the tables around them.
"""

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat, linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from roadmaps.models import ActionStatus, RoadmapStatus
from roadmaps.models.choices import choice_labels

_PLACEHOLDER = "0"  # reversed once per table; a row's own key replaces it


def _url_maker(name: str, kwarg: str, sample: str):
    """f(value) → reverse(name, kwargs={kwarg: value}) for values like `sample`, reversing once."""
    pattern = reverse(name, kwargs={kwarg: sample})
    head, _sep, tail = pattern.rpartition(f"/{sample}/")
    return lambda value: f"{head}/{value}/{tail}"


def action_rows(actions) -> str:
    """The `<tr>` of each action: code and title, roadmap, each country's state, overall status and
    percent, due date ("—" when none), as `_action_table.html` heads them."""
    labels = {
        "action": gettext("Action"),
        "roadmap": gettext("Roadmap"),
        "countries": gettext("Countries"),
        "status": gettext("Overall status"),
        "percent": gettext("Overall percent"),
        "due": gettext("Due"),
    }
    overdue = pgettext("one action", "Overdue")
    status = choice_labels(ActionStatus)
    action_url = _url_maker("regional:action_detail", "pk", "1")
    roadmap_url = _url_maker("regional:roadmap_detail", "slug", "x")
    country_url = _url_maker("regional:country_detail", "code", "XX")
    rows = []
    for action in actions:
        states = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="muted" data-country-state="{}">{} · {} %</span></li>',
            (
                (country_url(s.country.code), s.country.name, s.country.code, status[s.status], s.percent_complete)
                for s in action.country_progress.all()
            ),
        )
        late = format_html(' <span class="badge badge--overdue">{}</span>', overdue) if action.is_overdue else ""
        rows.append(
            format_html(
                '<tr><td data-label="{}"><a href="{}">{} · {}</a></td>'
                '<td data-label="{}"><a href="{}">{}</a></td>'
                '<td data-label="{}"><ul class="per-country">{}</ul></td>'
                '<td data-label="{}"><span class="badge badge--{}">{}</span>{}</td>'
                '<td class="num" data-label="{}">{} %</td>'
                '<td data-label="{}">{}</td></tr>',
                labels["action"],
                action_url(action.pk),
                action.code,
                action.title,
                labels["roadmap"],
                roadmap_url(action.roadmap.slug),
                action.roadmap.title,
                labels["countries"],
                states,
                labels["status"],
                action.status,
                status[action.status],
                late,
                labels["percent"],
                action.percent_complete,
                labels["due"],
                date_filter(action.due_date, "SHORT_DATE_FORMAT") or "—",
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - each row is format_html's, escaped


def roadmap_rows(roadmaps) -> str:
    """The `<tr>` of each roadmap (annotated with `action_count` and `mean_percent`, objectives
    prefetched): title, theme, lead country, its GCM objectives, status, actions, mean percent."""
    labels = {
        "roadmap": gettext("Roadmap"),
        "theme": gettext("Theme"),
        "lead": gettext("Lead country"),
        "objectives": pgettext("regional", "GCM objectives"),
        "status": gettext("Status"),
        "actions": gettext("Actions"),
        "mean": gettext("Mean percent"),
    }
    status = choice_labels(RoadmapStatus)
    roadmap_url = _url_maker("regional:roadmap_detail", "slug", "x")
    country_url = _url_maker("regional:country_detail", "code", "XX")
    objective_url = _url_maker("regional:objective_detail", "number", "1")
    rows = []
    for roadmap in roadmaps:
        objectives = (
            format_html_join(
                ", ",
                '<a href="{}" title="{}">{}</a>',
                ((objective_url(o.number), o.title, o.number) for o in roadmap.objectives.all()),
            )
            or "—"
        )
        mean = "—" if roadmap.mean_percent is None else f"{floatformat(roadmap.mean_percent, 0)} %"
        rows.append(
            format_html(
                '<tr><td data-label="{}"><a href="{}">{}</a></td>'
                '<td data-label="{}">{}</td>'
                '<td data-label="{}"><a href="{}">{}</a></td>'
                '<td data-label="{}">{}</td>'
                '<td data-label="{}"><span class="badge">{}</span></td>'
                '<td class="num" data-label="{}">{}</td>'
                '<td class="num" data-label="{}">{}</td></tr>',
                labels["roadmap"],
                roadmap_url(roadmap.slug),
                roadmap.title,
                labels["theme"],
                roadmap.theme.title,
                labels["lead"],
                country_url(roadmap.lead_country.code),
                roadmap.lead_country.name,
                labels["objectives"],
                objectives,
                labels["status"],
                status.get(roadmap.status, roadmap.status),
                labels["actions"],
                roadmap.action_count,
                labels["mean"],
                mean,
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - each row is format_html's, escaped


def review_rows(rows) -> str:
    """The `<tr>` of each review report row (`regional.review_rows.ReviewRow`): action and roadmap,
    status (and overdue), percent, the latest approved narrative with its day, the challenges."""
    labels = {
        "action": gettext("Action"),
        "status": gettext("Status"),
        "percent": gettext("Percent"),
        "narrative": gettext("Latest approved narrative"),
        "challenges": gettext("Challenges"),
    }
    overdue = pgettext("one action", "Overdue")
    no_update = gettext("No approved update.")
    action_url = _url_maker("regional:action_detail", "pk", "1")
    html = []
    for row in rows:
        late = format_html(' <span class="badge badge--overdue">{}</span>', overdue) if row.is_overdue else ""
        if row.narrative:
            day = date_filter(row.reported_on, "DATE_FORMAT")
            narrative = format_html('{}<br><span class="muted">{}</span>', linebreaksbr(row.narrative), day)
        else:
            narrative = format_html('<span class="muted">{}</span>', no_update)
        html.append(
            format_html(
                '<tr data-row="{}|{}|{}|{}">'
                '<td data-label="{}"><a href="{}">{} · {}</a><br><span class="muted">{}</span></td>'
                '<td data-label="{}"><span class="badge badge--{}">{}</span>{}</td>'
                '<td class="num" data-label="{}">{} %</td>'
                '<td data-label="{}">{}</td>'
                '<td data-label="{}">{}</td></tr>',
                row.objective_number,
                row.country_code,
                row.action_code,
                row.percent_complete,
                labels["action"],
                action_url(row.action_id),
                row.action_code,
                row.action_title,
                row.roadmap_title,
                labels["status"],
                row.status,
                row.status_label,
                late,
                labels["percent"],
                row.percent_complete,
                labels["narrative"],
                narrative,
                labels["challenges"],
                linebreaksbr(row.challenges) if row.challenges else "—",
            )
        )
    return mark_safe("\n".join(html))  # noqa: S308 - each row is format_html's, escaped
