"""Incidents per week by event type: the figures, a PNG bar chart and the rows of a table.

The image is drawn with matplotlib (Agg backend, no display, no fonts fetched) on the desk,
and the same figures go into an HTML table beside it for screen readers and text browsers.
The PNG carries no "Software" or time metadata, so rebuilding it gives the same bytes.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from quietwire.publish._model import Bulletin
from quietwire.publish._render import event_type_label

#: Weeks shown in the chart and table: the most recent ones with at least one incident.
CHART_WEEKS = 26
_COLOURS = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#8d99ae", "#3c3c3c")


def weekly_counts(
    bulletins: Sequence[Bulletin], weeks: int = CHART_WEEKS
) -> tuple[list[tuple[str, dict[str, int]]], list[str]]:
    """Count bulletins per ISO week (Monday) of their event date, by event type.

    Returns (rows oldest first as (monday ISO date, {event type: count})), event types
    sorted by total, most first). A bulletin without an event date counts in the week it
    was published; without an event type it counts as "other".
    """
    table: dict[date, Counter[str]] = defaultdict(Counter)
    for b in bulletins:
        day = b.event_date or b.published.date()
        monday = day - timedelta(days=day.weekday())
        table[monday][b.event_type or "other"] += 1
    recent = sorted(table)[-weeks:]
    totals: Counter[str] = Counter()
    for monday in recent:
        totals.update(table[monday])
    types = [et for et, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    return [(monday.isoformat(), dict(table[monday])) for monday in recent], types


def chart_png(rows: Sequence[tuple[str, dict[str, int]]], types: Sequence[str]) -> bytes:
    """A stacked bar chart of `rows` (from `weekly_counts`) as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(8, 3.6), dpi=100)
    ax = fig.add_subplot()
    labels = [week[5:] for week, _ in rows]
    bottom = [0] * len(rows)
    for i, et in enumerate(types):
        values = [counts.get(et, 0) for _, counts in rows]
        ax.bar(
            labels,
            values,
            bottom=bottom,
            color=_COLOURS[i % len(_COLOURS)],
            label=event_type_label(et, "en"),
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xlabel("week starting (month-day)")
    ax.set_ylabel("incidents")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    if types:
        ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
