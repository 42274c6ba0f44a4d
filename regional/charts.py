"""Geometry for the server-rendered SVG charts (no JavaScript; positions as SVG attributes, so the
strict CSP holds). Each chart on a page also has a table with the same figures."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

PLOT_WIDTH = 300
VALUE_WIDTH = 50


@dataclass
class Bar:
    label: str
    value: float
    width: float  # percent of the plotting area
    y: int
    length: float = 0  # in SVG units of a PLOT_WIDTH-wide plotting area
    css: str = ""
    href: str = ""
    empty: bool = False  # no value at all (e.g. an objective with no action), not a value of 0


def bar_chart(items, *, maximum=None, row_height=24, label_width=130, label_chars=18, empty_label=None):
    """items: [(label, value, css, href)] → bars with widths in percent of `maximum`. With
    `empty_label`, a value of None is no bar and says `empty_label` (distinct from a value of 0)."""
    values = [value or 0 for _label, value, _css, _href in items]
    top = maximum or max(values + [1])
    bars = []
    for i, (label, value, css, href) in enumerate(items):
        width = round(100 * (value or 0) / top, 2)
        bars.append(
            Bar(
                label=label,
                value=value or 0,
                width=width,
                y=i * row_height,
                css=css,
                href=href,
                length=round(PLOT_WIDTH * width / 100, 1),
                empty=value is None and empty_label is not None,
            )
        )
    return {
        "bars": bars,
        "height": max(len(bars), 1) * row_height,
        "row_height": row_height,
        "label_x": label_width - 6,
        "label_chars": label_chars,
        "empty_label": empty_label,
        "plot_x": label_width,
        "plot_width": PLOT_WIDTH,
        "width": label_width + PLOT_WIDTH + VALUE_WIDTH,
    }


@dataclass
class TimelineBar:
    action: object
    x: float  # percent
    width: float  # percent
    has_dates: bool


def timeline(actions, *, start=None, end=None):
    """Positions (percent of the width) of each action's start → due bar, and of today."""
    today = timezone.localdate()
    dates = [d for a in actions for d in (a.start_date, a.due_date) if d]
    dates += [d for d in (start, end) if d]
    if not dates:
        return {"bars": [TimelineBar(a, 0, 0, False) for a in actions], "today": None, "start": None, "end": None}
    first, last = min(dates), max(dates)
    if last <= first:
        last = first + datetime.timedelta(days=1)
    span = (last - first).days

    def at(day):
        return round(100 * (day - first).days / span, 2)

    bars = []
    for action in actions:
        begin = action.start_date or action.due_date
        finish = action.due_date or action.start_date
        if begin is None:
            bars.append(TimelineBar(action, 0, 0, False))
            continue
        x = at(begin)
        bars.append(TimelineBar(action, x, max(at(finish) - x, 0.8), True))
    today_x = at(today) if first <= today <= last else None
    return {"bars": bars, "today": today_x, "start": first, "end": last}
