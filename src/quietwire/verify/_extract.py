"""`extract`: one Document in, one Extraction out; and the JSON form of an Extraction."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from quietwire.verify._actors import find_actors
from quietwire.verify._attribution import find_attributions
from quietwire.verify._dates import find_dates
from quietwire.verify._events import classify
from quietwire.verify._lang import fold, guess_lang
from quietwire.verify._numbers import find_numbers
from quietwire.verify._places import Gazetteer, default_gazetteer, find_places
from quietwire.verify._types import (
    Actor,
    Attribution,
    DateMention,
    Document,
    Extraction,
    Place,
    Quantity,
)


def _cut(text: str, span: tuple[int, int] | None) -> str | None:
    return text[span[0] : span[1]] if span else None


def _overlaps(span: tuple[int, int], taken: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def _inside_longer(span: tuple[int, int], taken: Iterable[tuple[int, int]]) -> bool:
    """A place inside a longer actor's name is part of that name (قوات سوريا الديمقراطية);
    a country named as an actor (إسرائيل، الولايات المتحدة) is still a place."""
    return any(a <= span[0] and span[1] <= b and b - a > span[1] - span[0] for a, b in taken)


def extract(doc: Document, gazetteer: Gazetteer | None = None) -> Extraction:
    """Everything we can read off one document, offline and deterministically.

    Spans are [start, end) offsets into `doc.text`. Relative dates resolve against
    `doc.published` (start = end = None without it). Every quantity has low <= high when
    both are set. `gazetteer` defaults to the compact one built from GeoNames and our
    curated names (data/gazetteer.txt, tools/build_gazetteer.py).
    Never raises on any text.
    """
    text = doc.text
    folded = fold(text)
    lang = doc.lang or guess_lang(text)
    gaz = gazetteer if gazetteer is not None else default_gazetteer()

    dates = find_dates(folded, doc.published)
    masked = gaz.masked(folded)
    date_spans = [d.span for d in dates]
    quantities: list[Quantity] = []
    for n in find_numbers(folded):
        if (
            _overlaps(n.span, date_spans)
            or _overlaps(n.span, masked)
            or re.match(r"\d+:\d", folded[n.span[1] - 1 : n.span[1] + 2])
        ):
            continue
        counts = n.counts
        if n.qualifier == "exact" and n.low is not None and 1900 <= n.low <= 2100 and not counts:
            continue  # a year, not a count
        if folded[n.span[0] : n.span[1]].lower() == "one" and counts is None:
            continue  # "one of them", "no one": a pronoun, not a count
        lo, hi = n.span
        quantities.append(Quantity(text[lo:hi], n.span, n.low, n.high, n.qualifier, counts))

    actors = [Actor(text[a.span[0] : a.span[1]], a.canonical, a.span) for a in find_actors(folded)]
    actor_spans = [a.span for a in actors]
    places = [
        Place(
            text[p.span[0] : p.span[1]],
            p.span,
            p.entry.lat,
            p.entry.lon,
            p.entry.country_code or None,
            p.entry.id or None,
            p.entry.ancestors,
        )
        for p in find_places(text, folded, gaz)
        if not _inside_longer(p.span, actor_spans)
    ]
    attributions = [
        Attribution(
            _cut(text, a.source) or "unspecified",
            text[a.cue[0] : a.cue[1]],
            _cut(text, a.recipient),
            text[a.content_span[0] : a.content_span[1]],
            a.content_span,
            _cut(text, a.cites),
            a.source,
            a.cue,
        )
        for a in find_attributions(folded)
    ]
    event_type, sub = classify(text)
    return Extraction(
        id=doc.id,
        lang=lang,
        event_type=event_type,
        sub_event_type=sub,
        attributions=tuple(attributions),
        quantities=tuple(quantities),
        places=tuple(places),
        dates=tuple(
            DateMention(text[d.span[0] : d.span[1]], d.span, d.start, d.end) for d in dates
        ),
        actors=tuple(actors),
    )


def extract_many(
    docs: Iterable[Document], gazetteer: Gazetteer | None = None
) -> Iterator[Extraction]:
    """`extract` over many documents, lazily, sharing one gazetteer."""
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    for doc in docs:
        yield extract(doc, gaz)


def _num(x: float | None) -> float | int | None:
    return int(x) if x is not None and float(x).is_integer() else x


def to_json(ex: Extraction) -> dict[str, Any]:
    """The JSON object `quietwire verify extract` writes for one Extraction.

    Whole numbers come out as ints, dates as ISO strings, spans as [start, end] lists; an
    attribution also carries `cites` (the earlier link of an echo chain, or null).
    """
    return {
        "id": ex.id,
        "lang": ex.lang,
        "event_type": ex.event_type,
        "sub_event_type": ex.sub_event_type,
        "attributions": [
            {"source": a.source, "cue": a.cue, "recipient": a.recipient, "content": a.content,
             "content_span": list(a.content_span), "cites": a.cites,
             "source_span": list(a.source_span) if a.source_span else None,
             "cue_span": list(a.cue_span) if a.cue_span else None}
            for a in ex.attributions
        ],
        "quantities": [
            {"text": q.text, "span": list(q.span), "low": _num(q.low), "high": _num(q.high),
             "qualifier": q.qualifier, "counts": q.counts}
            for q in ex.quantities
        ],
        "places": [
            {"name": p.name, "span": list(p.span), "lat": p.lat, "lon": p.lon,
             "country_code": p.country_code, "id": p.id, "ancestors": list(p.ancestors)}
            for p in ex.places
        ],
        "dates": [
            {"text": d.text, "span": list(d.span),
             "start": d.start.isoformat() if d.start else None,
             "end": d.end.isoformat() if d.end else None}
            for d in ex.dates
        ],
        "actors": [
            {"name": a.name, "canonical": a.canonical, "span": list(a.span)} for a in ex.actors
        ],
    }  # fmt: skip
