"""Incidents per week by event type: the figures, an SVG bar chart and the rows of a table.

The chart is an SVG document written from a template on the desk: the browser lays out its
text, so dates and the axis read in Arabic as well as English (an image library would draw
Arabic letters unjoined), it weighs a few kilobytes, and the same figures always give the
same bytes. It holds no script (and the public CSP would block one); the same figures go
into an HTML table beside it for screen readers and text browsers, and the legend is HTML
in the page's language.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from quietwire.publish._labels import LABELS, chart_type, digits, short_date
from quietwire.publish._model import Bulletin
from quietwire.publish._templates import env

#: Weeks shown in the chart and table: the most recent ones with at least one incident.
CHART_WEEKS = 26
WIDTH, HEIGHT = 720, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 44, 12, 44
_MAX_BAR = 40  # one week alone is a bar, not a wall


def weekly_counts(
    bulletins: Sequence[Bulletin], weeks: int = CHART_WEEKS
) -> tuple[list[tuple[str, dict[str, int]]], list[str]]:
    """Count bulletins per ISO week (Monday) of their event date, by event type.

    Returns (rows oldest first as (monday ISO date, {event type: count})), event types
    sorted by total, most first). A bulletin without an event date counts in the week it
    was published; a sub-event type counts under its event type, and a bulletin without one
    (or with a type no table knows) as "untyped".
    """
    table: dict[date, Counter[str]] = defaultdict(Counter)
    for b in bulletins:
        day = b.event_date or b.published.date()
        monday = day - timedelta(days=day.weekday())
        table[monday][chart_type(b.event_type)] += 1
    recent = sorted(table)[-weeks:]
    totals: Counter[str] = Counter()
    for monday in recent:
        totals.update(table[monday])
    types = [et for et, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    return [(monday.isoformat(), dict(table[monday])) for monday in recent], types


def _step(top: int) -> int:
    """A tick step giving at most five gridlines: 1, 2, 5, 10, 20, 50, ..."""
    factors = itertools.cycle((2, 2.5, 2))
    step = 1
    while top / step > 5:
        step = round(step * next(factors))
    return step


def chart_svg(
    rows: Sequence[tuple[str, dict[str, int]]],
    types: Sequence[str],
    colours: dict[str, str],
    lang: str,
    digit_style: str,
) -> bytes:
    """A stacked bar chart of `rows` (from `weekly_counts`) as an SVG document."""
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    top = max((sum(c.values()) for _, c in rows), default=1) or 1
    step = _step(top)
    ceiling = -(-top // step) * step
    slot = plot_w / max(1, len(rows))
    bar = min(_MAX_BAR, slot * 0.7)
    every = max(1, -(-len(rows) // 12))  # at most twelve dates under the axis
    rtl = lang == "ar"  # time runs right to left on an Arabic page, the scale on the right
    bars = []
    labels = []
    for j, (week, counts) in enumerate(rows):
        i = len(rows) - 1 - j if rtl else j
        x = _LEFT + i * slot + (slot - bar) / 2
        base = 0
        for et in types:
            n = counts.get(et, 0)
            if n:
                y = _TOP + plot_h * (1 - (base + n) / ceiling)
                bars.append((x, y, bar, plot_h * n / ceiling, colours.get(et, "#878787")))
                base += n
        if j % every == 0:
            day = short_date(date.fromisoformat(week), lang, digit_style)
            labels.append((_LEFT + i * slot + slot / 2, day))
    ticks = [
        (_TOP + plot_h * (1 - v / ceiling), digits(str(v), lang, digit_style))
        for v in range(0, ceiling + 1, step)
    ]
    svg = (
        env()
        .get_template("chart.svg")
        .render(
            width=WIDTH,
            height=HEIGHT,
            left=_LEFT,
            right=WIDTH - _RIGHT,
            scale_x=WIDTH - _RIGHT + 6 if rtl else _LEFT - 6,
            scale_anchor="start" if rtl else "end",
            axis_y=_TOP + plot_h,
            bars=[tuple(round(v, 1) if isinstance(v, float) else v for v in b) for b in bars],
            labels=[(round(x, 1), text) for x, text in labels],
            ticks=[(round(y, 1), text) for y, text in ticks],
            title=LABELS[lang]["chart_title"],
            lang=lang,
        )
    )
    return svg.encode()
