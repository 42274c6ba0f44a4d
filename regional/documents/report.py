"""The review report and a country's contribution as Word documents.

Both take what the XLSX export takes — the `RegionalPicture`, the country summary and the report's
`ReviewRow`s, computed by the same selectors for the same filters — so the summary tables are the
XLSX's By objective / By country sheets (`exports.objective_sheet`, `exports.country_sheet`), and the
sections are the XLSX's action rows grouped by objective and then by action. Whatever the report rows
hold (a country's own status, a cycle's frozen state), the document prints.

Where a document says which data it shows, `DocumentMeta` carries the words: `status_line` (default
"Status today") and `provenance` (default "Live data") are the hooks for a reporting cycle's key and
close time or an "as of" date.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.bilingual import active_language
from regional import exports
from regional.documents import word
from regional.documents.content import COLLABORATION_PAIRS, Extras, in_language

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class DocumentMeta:
    title: str
    address: str  # the URL the document was downloaded from
    anonymous: bool
    generated: datetime.datetime
    scope: list = field(default_factory=list)  # lines saying which period, countries, objective
    status_line: str = ""  # hook: a cycle's title and key, or "Status as of <date>"
    provenance: str = ""  # hook: a snapshot's key and close time


def _number(value, decimals=0) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True)


def _date(value) -> str:
    return _formatted_date(value, get_language()) if value else "—"


@functools.lru_cache(maxsize=4096)
def _formatted_date(value, language: str) -> str:
    """A day in the language's format, once per day and language (a report repeats its dates)."""
    return formats.date_format(value, "DATE_FORMAT")


def _status_line(meta: DocumentMeta) -> str:
    return meta.status_line or _("Status today, %(date)s") % {"date": _date(meta.generated.date())}


def _start(meta: DocumentMeta, subject: str):
    document = word.Writer(language=active_language(), title=meta.title, subject=subject)
    document.footer(
        left=meta.provenance or _("Live data"),
        page_label=_("Page"),
        of_label=_("of"),
        address=meta.address,
    )
    document.paragraph(
        _("Regional Conference on Migration (RCM) · Follow-up of the Global Compact for Migration"), style="Subtitle"
    )
    document.heading(meta.title, 0)
    document.paragraph(_status_line(meta), style="Subtitle")
    for line in meta.scope:
        document.paragraph(line)
    generated = formats.date_format(meta.generated, "DATETIME_FORMAT")
    document.paragraph(_("Generated on %(date)s.") % {"date": generated})
    document.paragraph(_("Address: %(address)s") % {"address": meta.address})
    document.page_break()
    document.table_of_contents(
        _("Contents"),
        _("Update this field to show the contents (in Word: right-click, Update field; it asks when opened)."),
    )
    return document


def _method_note(document, meta: DocumentMeta, extras: Extras) -> None:
    document.heading(_("Method"), 1)
    for text in (
        _(
            "An action works on its own GCM objectives or, when it has none, on its roadmap's. In the summary "
            "by objective an action counts once for each objective it works on; countries are those responsible "
            "for at least one of these actions."
        ),
        _(
            "A joint action (several responsible countries) counts once for each of its countries in the summary "
            "by country, and appears under each of them in the sections. Mean percent is the mean of the actions' "
            "percent complete, cancelled actions left out; completed and overdue count actions (overdue: due date "
            "passed, neither completed nor cancelled)."
        ),
        _(
            "Narratives and challenges are each country's latest approved progress update on the action (within "
            "the period when one is chosen). Updates awaiting review or returned are never included."
        ),
        _("This document was generated without signing in: it holds public roadmaps and approved updates only.")
        if meta.anonymous
        else _(
            "This document holds what the account that downloaded it may see: public roadmaps, and partners or "
            "internal ones where its role allows. Check before sending it outside the organisation."
        ),
        _("A text shown in the other language has no translation yet; it is marked as such."),
    ):
        document.paragraph(text, style="List Bullet")
    if extras.opportunities is None:
        document.paragraph(
            _(
                "Collaboration opportunities are not listed: the finder compares every pair of the %(count)s "
                "actions you may see, too many for a document (at most %(limit)s). The collaboration page lists them."
            )
            % {"count": extras.compared, "limit": extras.limit},
            style="List Bullet",
        )
    else:
        document.paragraph(
            _(
                "Collaboration opportunities are the collaboration finder's %(pairs)s best pairs of similar "
                "actions of different countries sharing a GCM objective, listed under both actions."
            )
            % {"pairs": COLLABORATION_PAIRS},
            style="List Bullet",
        )


def _summaries(document, picture, countries) -> None:
    header, rows = exports.objective_sheet(picture)
    document.heading(_("Summary by GCM objective"), 1)
    document.table(
        header,
        [
            [str(number), in_language({"en": o.objective.title_en, "es": o.objective.title_es}), n, k, _number(mean, 1)]
            for (number, _title, n, k, mean), o in zip(rows, picture.objectives, strict=True)
        ],
        widths=[0.9, 3.0, 0.7, 0.8, 0.8],
        numeric={0, 2, 3, 4},
    )
    header, rows = exports.country_sheet(countries)
    document.heading(_("Summary by country"), 1)
    document.table(
        header,
        [[code, name, n, done, late, _number(mean, 1)] for code, name, n, done, late, mean in rows],
        widths=[0.6, 1.8, 0.8, 1.0, 0.9, 0.9],
        numeric={2, 3, 4, 5},
    )
    if not rows:
        document.paragraph(_("No actions match these filters."))


def _figure(value) -> str:
    """An indicator figure as the page writes it: whole numbers without decimals, else two."""
    if value is None:
        return "—"
    return _number(value, 0 if value == value.to_integral_value() else 2)


def _indicators(document, indicators, cycle_key, scope="") -> None:
    """The report page's indicators table (regional.indicators.review_indicator_rows), when there are any;
    for chosen countries, the sentence saying the figures are theirs (`scope`) above it."""
    if not indicators:
        return
    header, rows = exports.indicator_sheet(indicators, cycle_key)
    document.heading(_("Indicators"), 1)
    if scope:
        document.paragraph(scope)
    numbers = len(header) - 3  # the figures after action code, indicator code and name
    document.table(
        header[:1] + header[2:],
        [
            [
                action_code,
                f"{code} · {name}",
                *(_figure(v) for v in figures[:-1]),
                "—" if figures[-1] is None else f"{figures[-1]} %",
            ]
            for action_code, code, name, *figures in rows
        ],
        widths=[0.8, 2.4, *([3.2 / numbers] * numbers)],
        numeric=set(range(2, 2 + numbers)),
    )


def _objective_titles(picture) -> dict:
    return {
        r.objective.number: in_language({"en": r.objective.title_en, "es": r.objective.title_es})
        for r in picture.objectives
    }


def _indicator_table(document, indicators: list, cycle_key: str | None, labels: dict, scope: str = "") -> None:
    """Indicator values against targets: the XLSX's Indicators sheet rows of this action, under a
    label (two tables in a row would be shown joined as one) — with, for chosen countries, whose."""
    document.paragraph(scope, label=labels["indicators"] + (": " if scope else ""))
    header = [labels["indicator"]]
    if cycle_key:
        header.append(labels["cycle_value"] % {"key": cycle_key})
    header += labels["indicator_header"]
    widths = [2.3, 1.0, 1.1, 0.9, 0.8] if cycle_key else [3.2, 1.1, 0.9, 0.9]
    rows = []
    for item in indicators:
        values = [f"{item['code']} · {item['name']}"]
        if cycle_key:
            values.append(_figure(item["cycle_value"]))
        percent = "—" if item["percent"] is None else f"{item['percent']} %"
        rows.append([*values, _figure(item["actual"]), _figure(item["target"]), percent])
    document.table(header, rows, widths=widths, numeric=set(range(1, len(header))))


def _block_labels() -> dict:
    """The words of an action's block, translated once per document (a region's report has tens of
    thousands of blocks, and each gettext call is a catalogue lookup)."""
    return {
        "roadmap": _("Roadmap"),
        "countries": _("Responsible countries"),
        "indicator": _("Indicator"),
        "indicator_text": _("%(indicator)s · baseline: %(baseline)s · target: %(target)s"),
        "due": _("Due date"),
        "header": [
            _("Country"),
            _("Status"),
            _("Percent"),
            _("Reported on"),
            _("Latest approved narrative"),
            _("Challenges"),
        ],
        "no_update": _("No approved update."),
        "indicators": _("Indicator values against targets"),
        "cycle_value": _("Value in %(key)s"),
        "indicator_header": [_("Cumulative"), _("Target"), _("Of the way")],
        "practices": _("Good practices from this action"),
        "opportunity": _("Collaboration opportunity"),
        "opportunity_text": _(
            "%(code)s · %(title)s (%(countries)s), %(percent)s %% similar, objectives %(objectives)s"
        ),
    }


def _action_block(document, action_id: int, rows: list, extras: Extras, labels: dict, cycle_key=None) -> None:
    facts = extras.actions.get(action_id)
    first = rows[0]
    title = facts.title if facts else first.action_title
    document.heading(f"{first.action_code} · {title}", 2)
    document.labelled(labels["roadmap"], facts.roadmap if facts else first.roadmap_title)
    if facts:
        document.labelled(labels["countries"], ", ".join(facts.countries) or "—")
        if facts.indicator or facts.target:
            indicator = facts.indicator or "—"
            document.labelled(
                labels["indicator"],
                labels["indicator_text"]
                % {"indicator": indicator, "baseline": facts.baseline or "—", "target": facts.target or "—"},
            )
    document.labelled(labels["due"], _date(first.due_date))
    document.table(
        labels["header"],
        [
            [
                row.country_name,
                row.status_label,
                f"{row.percent_complete} %",
                _date(row.reported_on),
                row.narrative or labels["no_update"],
                row.challenges or "—",
            ]
            for row in rows
        ],
        widths=[1.0, 0.8, 0.7, 0.9, 1.7, 1.0],
        numeric={2},
    )
    indicators = extras.indicators.get(action_id)
    if indicators:
        _indicator_table(document, indicators, cycle_key, labels, extras.indicator_scope)
    practices = extras.practices.get(action_id)
    if practices:
        document.labelled(labels["practices"], "; ".join(practices))
    for item in (extras.opportunities or {}).get(action_id, []):
        document.labelled(
            labels["opportunity"],
            labels["opportunity_text"]
            % {
                "code": item.code,
                "title": item.title,
                "countries": item.countries,
                "percent": item.percent,
                "objectives": ", ".join(str(n) for n in item.shared_objectives),
            },
        )


def _objective_sections(document, picture, chunks, cycle_key: str | None = None):
    """One Heading 1 per objective with rows, its actions under it (already in order: roadmap, code),
    written chunk by chunk into the document's stream: a generator that yields after each chunk."""
    titles, labels = _objective_titles(picture), _block_labels()
    current = None
    for chunk, extras in chunks:
        for (number, action_id), action_rows in chunk:
            if number != current:
                current = number
                document.heading(
                    _("Objective %(number)s: %(title)s") % {"number": number, "title": titles.get(number, "")}, 1
                )
            _action_block(document, action_id, action_rows, extras, labels, cycle_key)
        yield
    if current is None:
        document.heading(_("Actions"), 1)
        document.paragraph(_("No actions match these filters."))
        yield


def review_document(
    *, picture, countries, chunks, extras: Extras, meta: DocumentMeta, indicators=(), cycle_key=None
) -> bytes:
    """The regional review report: title page, contents, method, summaries, the indicators, a section per
    objective (each action with its own indicators again).

    `chunks` are `content.action_chunks`: the sections are streamed from them as the file is written."""
    document = _start(meta, _("Regional review report"))
    _method_note(document, meta, extras)
    _summaries(document, picture, countries)
    _indicators(document, indicators, cycle_key, extras.indicator_scope)
    document.stream(_objective_sections(document, picture, chunks, cycle_key))
    return document.to_bytes()


def country_document(
    *, picture, countries, chunks, extras: Extras, meta: DocumentMeta, contacts: list, practices: list, cycle_key=None
) -> bytes:
    """A country's contribution: the review report's structure for its actions, its contacts, its practices."""
    document = _start(meta, _("Country contribution"))
    _method_note(document, meta, extras)
    document.heading(_("Contacts"), 1)
    if contacts:
        for contact in contacts:
            text = " · ".join(part for part in (contact["name"], contact["position"]) if part)
            document.paragraph(text, style="List Bullet")
    else:
        document.paragraph(_("No focal point is listed."))
    _summaries(document, picture, countries)
    document.stream(_objective_sections(document, picture, chunks, cycle_key))
    _practices_in_full(document, practices)
    return document.to_bytes()


def _practices_in_full(document, practices: list) -> None:
    document.heading(_("Good practices"), 1)
    if not practices:
        document.paragraph(_("No published good practice yet."))
    language = active_language()
    for practice in practices:
        document.heading(in_language({"en": practice.title_en, "es": practice.title_es}), 2)
        summary = in_language({"en": practice.summary_en, "es": practice.summary_es})
        if summary:
            document.paragraph(summary)
        if practice.start_date or practice.end_date:
            document.labelled(_("Period"), f"{_date(practice.start_date)} – {_date(practice.end_date)}")
        objectives = ", ".join(str(o.number) for o in practice.objectives.all())
        if objectives:
            document.labelled(_("GCM objectives"), objectives)
        partners = ", ".join(p.acronym for p in practice.partners.all())
        if partners:
            document.labelled(_("Partners"), partners)
        actions = ", ".join(f"{a.code} · {a.title}" for a in practice.actions.all())
        if actions:
            document.labelled(_("Roadmap actions it came from"), actions)
        if practice.language != language:
            document.paragraph(
                _("The following is written in %(language)s.") % {"language": practice.get_language_display()}
            )
        for label, text in (
            (_("What was done"), practice.what_was_done),
            (_("Results"), practice.results),
            (_("Lessons learned"), practice.lessons_learned),
            (_("What others need to replicate it"), practice.replication_needs),
            (_("Contact"), practice.contact_role),
            (_("Links"), ", ".join(line.strip() for line in practice.links.splitlines() if line.strip())),
        ):
            if text:
                document.labelled(label, text)
